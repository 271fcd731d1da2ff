"""Billing's pages: invoices (the card's «Счета», «Журнал счетов», the form and the page), the card's «Продажи» and
«Работы» journals and their forms."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import invoices, sales

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
    # --- sales and works (SAL-01, SAL-02) ---
    path("clients/<int:client_id>/sales/", sales.card_sales, name="card_sales"),
    path("clients/<int:client_id>/sales/new/", sales.sale_new, name="sale_new"),
    path("sales/<int:pk>/", sales.sale, name="sale"),
    path("sales/<int:pk>/delete/", sales.sale_delete, name="sale_delete"),
    path("clients/<int:client_id>/works/", sales.card_works, name="card_works"),
    path("clients/<int:client_id>/works/new/", sales.work_new, name="work_new"),
    path("works/<int:pk>/", sales.work, name="work"),
    path("works/<int:pk>/delete/", sales.work_delete, name="work_delete"),
]
