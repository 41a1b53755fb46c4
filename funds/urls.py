from django.urls import path

from funds import views

# Mounted at /payments/: the finance officers' pages.
payment_urlpatterns = [
    path("", views.payment_list, name="payments"),
    path("<int:application_id>/", views.payment_detail, name="payment-detail"),
]

# Mounted at /budgets/: the city admins' budgets, the fund pool's CSV and the overview's charts.
budget_urlpatterns = [
    path("", views.budgets, name="budgets"),
    path("fund-pool.csv", views.fund_pool_csv, name="fund-pool-csv"),
    path("charts/fund-pool.svg", views.fund_pool_chart, name="fund-pool-chart"),
    path("charts/monthly.svg", views.monthly_chart, name="monthly-chart"),
]
