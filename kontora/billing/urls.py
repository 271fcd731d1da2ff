"""Billing's pages: invoices (the card's «Счета», «Журнал счетов», the form and the page), their print and e-mail,
payments, the bank statement import, acts and invoice-facturas, the card's «Продажи» and «Работы» journals and their
forms."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import documents, invoices, payments, printing, sales, statement

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- invoices (INV-01 … INV-03) ---
    path("clients/<int:client_id>/invoices/", invoices.card_invoices, name="card_invoices"),
    path("invoices/", invoices.journal, name="invoices"),
    path("invoices/new/", invoices.invoice_new, name="invoice_new"),
    path("invoices/form/", invoices.invoice_form, name="invoice_form"),
    path("invoices/items/", invoices.invoice_items, name="invoice_items"),
    path("invoices/<int:pk>/", invoices.invoice, name="invoice"),
    path("invoices/<int:pk>/edit/", invoices.invoice_edit, name="invoice_edit"),
    path("invoices/<int:pk>/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/cancel/", invoices.invoice_cancel, name="invoice_cancel"),
    path("invoices/<int:pk>/copy/", invoices.invoice_copy, name="invoice_copy"),
    path("invoices/<int:pk>/payments/", invoices.invoice_payments, name="invoice_payments"),
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
    # --- acts and invoice-facturas (INV-05) ---
    path("acts/", documents.act_journal, name="act_journal"),
    path("facturas/", documents.factura_journal, name="factura_journal"),
    path("clients/<int:client_id>/acts/", documents.card_acts, name="card_acts"),
    path("clients/<int:client_id>/facturas/", documents.card_facturas, name="card_facturas"),
    path("clients/<int:client_id>/acts/new/", documents.act_new, name="act_new"),
    path("clients/<int:client_id>/facturas/new/", documents.factura_new, name="factura_new"),
    path("acts/<int:pk>/", documents.act, name="act"),
    path("facturas/<int:pk>/", documents.factura, name="factura"),
    path("acts/<int:pk>/cancel/", documents.act_cancel, name="act_cancel"),
    path("facturas/<int:pk>/cancel/", documents.factura_cancel, name="factura_cancel"),
    path("acts/<int:pk>/print/", printing.act_print, name="act_print"),
    path("facturas/<int:pk>/print/", printing.factura_print, name="factura_print"),
    path("invoices/<int:pk>/act/", documents.act_from_invoice, name="act_from_invoice"),
    path("invoices/<int:pk>/factura/", documents.factura_from_invoice, name="factura_from_invoice"),
    path("payments/<int:pk>/advance-factura/", documents.factura_advance, name="factura_advance"),
]
