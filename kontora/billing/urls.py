"""Billing's pages: the card's «Продажи» and «Работы» journals and their forms; an invoice's print and e-mail; the
bank statement import."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import payments, printing, sales, statement

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- sales and works (SAL-01, SAL-02): one set of views, given the journal ---
    path("clients/<int:client_id>/sales/", sales.card_journal, {"journal": sales.SALES}, name="card_sales"),
    path("clients/<int:client_id>/sales/new/", sales.row_new, {"journal": sales.SALES}, name="sale_new"),
    path("sales/<int:pk>/", sales.row, {"journal": sales.SALES}, name="sale"),
    path("sales/<int:pk>/delete/", sales.row_remove, {"journal": sales.SALES}, name="sale_delete"),
    path("clients/<int:client_id>/works/", sales.card_journal, {"journal": sales.WORKS}, name="card_works"),
    path("clients/<int:client_id>/works/new/", sales.row_new, {"journal": sales.WORKS}, name="work_new"),
    path("works/<int:pk>/", sales.row, {"journal": sales.WORKS}, name="work"),
    path("works/<int:pk>/delete/", sales.row_remove, {"journal": sales.WORKS}, name="work_delete"),
    # --- «Счёт на оплату» and «Отправить по e-mail» (INV-06) ---
    path("invoices/<int:pk>/print/", printing.invoice_print, name="invoice_print"),
    path("invoices/<int:pk>/send/", printing.invoice_send, name="invoice_send"),
    # --- bank statements (INV-04) ---
    path("statements/new/", statement.statement_new, name="statement_new"),
    path("statements/<int:pk>/", statement.statement, name="statement"),
    path("statements/<int:pk>/record/", statement.statement_record, name="statement_record"),
    path("statement-lines/<int:pk>/", statement.statement_line, name="statement_line"),
    # --- payments (INV-04) ---
    path("payments/", payments.journal, name="payments"),
    path("payments/new/", payments.payment_pick, name="payment_pick"),
    path("payments/<int:pk>/", payments.payment, name="payment"),
    path("payments/<int:pk>/cancel/", payments.payment_cancel, name="payment_cancel"),
    path("payments/<int:pk>/apply/", payments.payment_apply, name="payment_apply"),
    path("clients/<int:client_id>/payments/", payments.card_payments, name="card_payments"),
    path("clients/<int:client_id>/payments/new/", payments.payment_new, name="payment_new"),
    path("clients/<int:client_id>/advances/apply/", payments.advances_apply, name="advances_apply"),
]
