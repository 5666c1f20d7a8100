from django.urls import path

from civicbridge.documents import (
    attendance_views,
    gifts_views,
    logistics_views,
    pairings_views,
    reception_views,
    statistics_views,
    views,
)

app_name = "documents"

urlpatterns = [
    # the yearly report upward (年度统计报表): the statistics page's filters, Excel or PDF
    path("statistics/report.<str:fmt>", statistics_views.yearly_report, name="yearly_report"),
    # certificates (PDF; ?script=zh-hans|zh-hant, default: each recipient's script)
    path("certificates/<int:pk>.pdf", views.certificate, name="certificate"),
    path(
        "exchanges/<int:pk>/certificates.pdf",
        views.certificates_of_exchange,
        name="certificates_exchange",
    ),
    path(
        "forums/<int:pk>/certificates.pdf", views.certificates_of_forum, name="certificates_forum"
    ),
    # the page that prints them: the script choice and the titles the register cannot give
    path(
        "certificates/<str:scope>/<int:pk>/",
        views.certificates_page,
        name="certificates_page",
    ),
    path(
        "communities/<int:pk>/certificate-numbering/",
        views.certificate_numbering,
        name="certificate_numbering",
    ),
    # programmes (printable HTML and PDF)
    path("exchanges/<int:pk>/programme/", views.programme_exchange, name="programme_exchange"),
    path(
        "exchanges/<int:pk>/programme.pdf",
        views.programme_exchange,
        {"fmt": "pdf"},
        name="programme_exchange_pdf",
    ),
    path(
        "exchanges/<int:pk>/programme.docx",
        views.programme_exchange,
        {"fmt": "docx"},
        name="programme_exchange_docx",
    ),
    path("groups/<int:pk>/programme/", views.programme_group, name="programme_group"),
    path(
        "groups/<int:pk>/programme.pdf",
        views.programme_group,
        {"fmt": "pdf"},
        name="programme_group_pdf",
    ),
    path(
        "groups/<int:pk>/programme.docx",
        views.programme_group,
        {"fmt": "docx"},
        name="programme_group_docx",
    ),
    # calendars
    path("exchanges/<int:pk>/calendar.ics", views.ics_exchange, name="ics_exchange"),
    path("groups/<int:pk>/calendar.ics", views.ics_group, name="ics_group"),
    path("people/<int:pk>/calendar.ics", views.ics_person, name="ics_person"),
    path("calendar/<str:token>.ics", views.ics_subscription, name="ics_subscription"),
    path("subscriptions/<str:scope>/<int:pk>/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/revoke/", views.revoke_subscription, name="revoke_subscription"),
    # news brief
    path("exchanges/<int:pk>/brief/", views.brief, name="brief"),
    path(
        "exchanges/<int:pk>/brief.docx",
        views.brief_download,
        {"fmt": "docx"},
        name="brief_docx",
    ),
    path("exchanges/<int:pk>/brief.pdf", views.brief_download, {"fmt": "pdf"}, name="brief_pdf"),
    path(
        "exchanges/<int:pk>/brief/<str:script>/v<int:number>/",
        views.brief_version,
        name="brief_version",
    ),
    # the reception plan (接待方案) and the reception list (接待清单)
    path(
        "exchanges/<int:pk>/reception-plan.pdf",
        reception_views.plan_pdf,
        name="reception_plan_pdf",
    ),
    path(
        "exchanges/<int:pk>/reception-list.pdf",
        reception_views.list_pdf,
        name="reception_list_pdf",
    ),
    # sign-in sheets, badges, place cards, check-in codes (documents/attendance_views.py)
    path(
        "activities/<int:pk>/sign-in-sheet.pdf",
        attendance_views.sign_in_sheet_pdf,
        name="sign_in_sheet",
    ),
    path("exchanges/<int:pk>/badges.pdf", attendance_views.badges_pdf, name="badges"),
    path(
        "exchanges/<int:pk>/place-cards.pdf", attendance_views.place_cards_pdf, name="place_cards"
    ),
    path(
        "members/<int:pk>/check-in-codes/",
        attendance_views.check_in_codes,
        name="check_in_codes",
    ),
    # the logistics sheet (接送表; documents/logistics_views.py)
    path(
        "exchanges/<int:pk>/logistics-sheet.<str:fmt>",
        logistics_views.logistics_sheet_download,
        name="logistics_sheet",
    ),
    # spreadsheets
    path("pairings.xlsx", pairings_views.pairings_export, name="pairings_export"),
    path("roster-template.xlsx", views.roster_template, name="roster_template"),
    path("exchanges/<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("exchanges/<int:pk>/<str:kind>.<str:fmt>", views.export, name="export"),
    # the gifts register across exchanges, for the discipline office
    path("gifts-register.xlsx", gifts_views.gifts_register_xlsx, name="gifts_register"),
]
