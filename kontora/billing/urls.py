"""Billing's pages: the card's «Продажи» and «Работы» journals and their forms; the bank statement import."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import sales, statement

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
    # --- bank statements (INV-04) ---
    path("statements/new/", statement.statement_new, name="statement_new"),
    path("statements/<int:pk>/", statement.statement, name="statement"),
    path("statements/<int:pk>/record/", statement.statement_record, name="statement_record"),
    path("statement-lines/<int:pk>/", statement.statement_line, name="statement_line"),
]
