"""Billing's pages: the card's «Продажи» and «Работы» journals and their forms."""

from django.urls import URLPattern, URLResolver, path

from kontora.billing.views import payments, sales

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
