"""Billing's pages: the card's «Продажи» and «Работы» journals and their forms; an invoice's print and e-mail."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import printing, sales

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- sales and works (SAL-01, SAL-02) ---
    path("clients/<int:client_id>/sales/", sales.card_sales, name="card_sales"),
    path("clients/<int:client_id>/sales/new/", sales.sale_new, name="sale_new"),
    path("sales/<int:pk>/", sales.sale, name="sale"),
    path("sales/<int:pk>/delete/", sales.sale_delete, name="sale_delete"),
    path("clients/<int:client_id>/works/", sales.card_works, name="card_works"),
    path("clients/<int:client_id>/works/new/", sales.work_new, name="work_new"),
    path("works/<int:pk>/", sales.work, name="work"),
    path("works/<int:pk>/delete/", sales.work_delete, name="work_delete"),
    # --- «Счёт на оплату» and «Отправить по e-mail» (INV-06) ---
    path("invoices/<int:pk>/print/", printing.invoice_print, name="invoice_print"),
    path("invoices/<int:pk>/send/", printing.invoice_send, name="invoice_send"),
]
