"""Billing's pages: the card's «Продажи» and «Работы» journals and their forms."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import documents, prints, sales

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
    path("acts/<int:pk>/print/", prints.act_print, name="act_print"),
    path("facturas/<int:pk>/print/", prints.factura_print, name="factura_print"),
    path("invoices/<int:pk>/act/", documents.act_from_invoice, name="act_from_invoice"),
    path("invoices/<int:pk>/factura/", documents.factura_from_invoice, name="factura_from_invoice"),
    path("payments/<int:pk>/advance-factura/", documents.factura_advance, name="factura_advance"),
]
