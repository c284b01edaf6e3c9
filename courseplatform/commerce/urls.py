from django.urls import path

from . import studio_views, views

app_name = "commerce"
urlpatterns = [
    path("courses/<int:pk>/checkout/", views.checkout, name="checkout"),
    path("orders/", views.my_orders, name="orders"),
    path("orders/<uuid:order>/", views.order_detail, name="order"),
    path("orders/<uuid:order>/pay/", views.order_pay, name="order_pay"),
    path("orders/<uuid:order>/receipt/", views.receipt, name="receipt"),
    path("orders/<uuid:order>/refund/", views.refund_request, name="refund_request"),
    path("studio/storefronts/<slug:slug>/sales/", studio_views.sales, name="sales"),
    path("studio/storefronts/<slug:slug>/refunds/<int:pk>/<str:decision>/", studio_views.refund_decide,
         name="refund_decide"),
    path("studio/storefronts/<slug:slug>/coupons/", studio_views.coupon_list, name="coupons"),
    path("studio/storefronts/<slug:slug>/coupons/<int:pk>/pause/", studio_views.coupon_pause, name="coupon_pause"),
    path("studio/storefronts/<slug:slug>/statement/", studio_views.statement, name="statement"),
    path("studio/storefronts/<slug:slug>/statement.csv", studio_views.statement_csv, name="statement_csv"),
]
