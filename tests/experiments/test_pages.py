"""Theming integration (visitors see their variant), server-side tagging, the experiment and analytics pages."""

import csv
import io
import uuid
from decimal import Decimal
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courseplatform.events.models import Interaction
from courseplatform.experiments import selectors
from tests.factories import CourseFactory, EnrollmentFactory
from themes.models import Palette, WeightDefaults

PNG = b"\x89PNG\r\n\x1a\n"


def _variant_of(experiment, key):
    return selectors.variant_for(experiment, key)


def test_anonymous_visitor_sees_a_stable_variant_and_is_logged_once_per_page_view(client, running, storefront,
                                                                                    course):
    CourseFactory(storefront=storefront)
    page = client.get(storefront.get_absolute_url())
    assert page.status_code == 200
    session_key = client.cookies["sessionid"].value
    variant = _variant_of(running, f"s:{session_key}")
    asset = reverse("themes:palette_variant_asset", args=[int(variant.arm), "theme.css"])
    assert asset in page.content.decode()
    assert reverse("themes:palette_variant_asset", args=[int(variant.arm), "cover.webp"]) in page.content.decode()
    rows = Interaction.objects.filter(experiment=running.tag)
    assert rows.count() == 0  # not a visitor until the session cookie comes back (the humanity bar)
    again = client.get(storefront.get_absolute_url())
    assert asset in again.content.decode()  # the same variant on every visit
    assert rows.count() == 2 and set(rows.values_list("type", flat=True)) == {"impression"}
    assert set(rows.values_list("variant", "session_key").distinct()) == {(variant.key, session_key)}
    client.get(storefront.get_absolute_url())
    assert rows.count() == 4
    assert selectors.visitor_counts(running)[variant.key]["visitors"] == 1


def _click(course) -> dict:
    return {"event_id": str(uuid.uuid4()), "type": "click", "course": course.pk,
            "ts": timezone.now().isoformat(), "context": {"surface": "storefront", "position": 1}}


def test_clients_that_never_return_the_cookie_are_not_visitors(running, storefront, course):
    for _ in range(20):  # a script fetching the storefront and posting clicks without keeping cookies
        assert Client().get(storefront.get_absolute_url()).status_code == 200
        response = Client().post("/api/events", {"events": [_click(course)]}, content_type="application/json")
        assert response.status_code == 200 and response.json()["stored"] == 1, response.json()
    assert not Interaction.objects.filter(experiment=running.tag).exists()
    assert Interaction.objects.filter(type="click", experiment="").count() == 20  # stored, never counted
    assert selectors.visitor_counts(running) == {}


def test_without_consent_an_anonymous_visitor_gets_no_session_and_no_rows(client, settings, running, storefront,
                                                                         course):
    settings.PRIVACY_REQUIRE_CONSENT = True
    for _ in range(3):
        assert client.get(storefront.get_absolute_url()).status_code == 200
    assert "sessionid" not in client.cookies and not Interaction.objects.exists()


def test_a_visitor_who_clicks_many_times_counts_as_one_clicker(client, running, storefront, course):
    client.get(storefront.get_absolute_url())
    client.get(storefront.get_absolute_url())  # returned with the cookie: a visitor
    for _ in range(5):
        client.post("/api/events", {"events": [_click(course)]}, content_type="application/json")
    variant = _variant_of(running, f"s:{client.cookies['sessionid'].value}")
    assert Interaction.objects.filter(experiment=running.tag, type="click").count() == 5
    assert selectors.visitor_counts(running)[variant.key] == {"visitors": 1, "clickers": 1, "enrollers": 0}


def test_course_page_logs_an_impression_and_a_view_and_enrolment_is_tagged(client, running, course, learner):
    client.force_login(learner)
    variant = _variant_of(running, f"u:{learner.pk}")
    page = client.get(course.get_absolute_url())
    assert reverse("themes:palette_variant_asset", args=[int(variant.arm), "theme.css"]) in page.content.decode()
    assert sorted(Interaction.objects.filter(experiment=running.tag).values_list("type", flat=True)) == [
        "impression", "view"]
    course.price = 0  # free: one click enrols (a paid course enrols once its order is paid)
    course.save(update_fields=["price"])
    client.post(reverse("catalog:course_enroll", args=[course.pk]))
    enrolment = Interaction.objects.get(user=learner, course=course, type="enroll")
    assert (enrolment.experiment, enrolment.variant) == (running.tag, variant.key)
    counts = selectors.visitor_counts(running)[variant.key]
    assert counts == {"visitors": 1, "clickers": 1, "enrollers": 1}


def test_variant_assets_are_served_only_for_experiment_palettes(client, running, two_palettes, course,
                                                                 make_palette):
    challenger = two_palettes[1]
    css = client.get(reverse("themes:palette_variant_asset", args=[challenger.pk, "theme.css"]))
    assert css.status_code == 200 and challenger.colors["primary"] in css.content.decode()
    cover = client.get(reverse("themes:palette_variant_asset", args=[challenger.pk, "cover.webp"]),
                       {"course": course.pk, "size": "thumb"})
    assert cover.status_code == 200 and cover["Content-Type"] == "image/webp"
    outsider = make_palette("approved")
    assert client.get(reverse("themes:palette_variant_asset", args=[outsider.pk, "theme.css"])).status_code == 404
    assert client.get(reverse("themes:palette_variant_asset", args=[challenger.pk, "x.js"])).status_code == 404
    assert client.get(reverse("themes:palette_variant_asset", args=[challenger.pk, "cover.webp"]),
                      {"course": "abc"}).status_code == 404


def test_without_a_running_experiment_nothing_changes(client, storefront, course, two_palettes, creator):
    page = client.get(storefront.get_absolute_url())
    assert reverse("themes:theme_css", args=[storefront.slug]) in page.content.decode()
    assert "sessionid" not in client.cookies
    assert not Interaction.objects.exists()


def test_experiment_pages_for_the_owner(client, creator, storefront, two_palettes, course):
    client.force_login(creator)
    listing = reverse("experiments:list", args=[storefront.slug])
    assert client.get(listing).status_code == 200
    response = client.post(listing, {"name": "Green?", "arms": [f"palette:{p.pk}" for p in two_palettes], "shares": "50, 50",
                                     "primary_metric": "enroll", "baseline_rate": "10", "minimum_detectable_effect": "5"})
    assert response.status_code == 302
    experiment = storefront.experiments.get()
    assert experiment.min_sample_per_variant == 686
    assert client.post(reverse("experiments:action", args=[storefront.slug, experiment.pk, "start"])).status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "running"
    detail = client.get(reverse("experiments:detail", args=[storefront.slug, experiment.pk]))
    text = detail.content.decode()
    assert "Keep collecting" in text and "686" in text and 'style="' not in text
    chart = client.get(reverse("experiments:chart", args=[storefront.slug, experiment.pk]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(PNG)
    client.post(reverse("experiments:action", args=[storefront.slug, experiment.pk, "promote"]), {"variant": "B"})
    experiment.refresh_from_db()
    two_palettes[1].refresh_from_db()
    assert experiment.status == "finished" and two_palettes[1].status == "active"


def test_experiment_pages_refuse_others_and_allow_staff(client, running, storefront, other_creator, staff, learner):
    url = reverse("experiments:detail", args=[storefront.slug, running.pk])
    client.force_login(other_creator)
    assert client.get(url).status_code == 404
    assert client.post(reverse("experiments:action", args=[storefront.slug, running.pk, "stop"])).status_code == 404
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.post(reverse("experiments:action", args=[storefront.slug, running.pk, "stop"]))
    running.refresh_from_db()
    assert running.status == "stopped"


def test_analytics_dashboard_charts_and_csv(client, creator, storefront, course, running, learner):
    now = timezone.now()
    from courseplatform.commerce import services as commerce  # revenue counts paid orders only

    order = commerce.checkout_start(learner=learner, course=course)
    commerce.payment_succeeded(payment=commerce.payment_for(order, "dummy"), amount=order.amount,
                               currency=order.currency)
    EnrollmentFactory(course=course, learner=learner, price_paid=Decimal("19.00"), created_at=now)
    for type_ in ("impression", "impression", "impression", "view"):
        Interaction.objects.create(user=learner, course=course, type=type_, ts=now, experiment=running.tag,
                                   variant="A")
    Interaction.objects.create(user=learner, course=course, type="enroll", ts=now, experiment=running.tag,
                               variant="A")
    client.force_login(creator)
    page = client.get(reverse("experiments:analytics", args=[storefront.slug]), {"period": "week", "days": 30})
    assert page.status_code == 200 and "19.00" in page.content.decode()
    for chart in ("over-time", "by-course", "by-variant"):
        response = client.get(reverse("experiments:analytics_chart", args=[storefront.slug, chart]))
        assert response.content.startswith(PNG), chart
    assert client.get(reverse("experiments:analytics_chart", args=[storefront.slug, "nope"])).status_code == 404
    response = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"period": "day", "days": 7})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    today = [r for r in rows if r["period_start"] == timezone.localdate().isoformat()]
    assert len(rows) == 7 and today[0]["course"] == course.title
    assert (today[0]["impressions"], today[0]["click_throughs"], today[0]["enrolments"], today[0]["revenue"]) == (
        "3", "1", "1", "19.00")
    assert today[0]["click_through_rate"] == "0.3333"
    by_variant = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"by": "variant"})
    variant_rows = list(csv.DictReader(io.StringIO(by_variant.content.decode("utf-8-sig"))))
    a = next(r for r in variant_rows if r["variant"] == "A")
    assert (a["visitors"], a["enrolments"], a["revenue"]) == ("1", "1", "19.00")


def test_analytics_keeps_browser_reports_apart_from_server_outcomes(client, creator, storefront, course, learner):
    now = timezone.now()
    Interaction.objects.create(user=learner, course=course, type="view", ts=now)
    for _ in range(3):  # an anonymous script's clicks count as click-throughs, not as signed-in ones
        Interaction.objects.create(session_key="anon", course=course, type="click", ts=now)
    client.force_login(creator)
    page = client.get(reverse("experiments:analytics", args=[storefront.slug]), {"days": 7})
    assert (page.context["totals"].clicks, page.context["totals"].clicks_signed_in) == (4, 1)
    html = page.content.decode()
    assert "Reported by browsers (not verifiable)" in html and "Recorded by the server" in html
    response = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"days": 1})
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["click_throughs"], row["click_throughs_signed_in"]) == ("4", "1")


def test_csv_neutralises_formulas(client, creator, storefront):
    CourseFactory(storefront=storefront, title="=HYPERLINK(\"http://x\")")
    client.force_login(creator)
    response = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"days": 1})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_palette_studio_shows_where_the_default_weights_came_from(client, creator, storefront, course):
    client.force_login(creator)
    page = client.get(reverse("themes:palette_studio", args=[storefront.slug]))
    assert "engine&#x27;s defaults (1, 1, 1)" in page.content.decode()
    WeightDefaults.objects.create(scope="global", alpha=0.6, beta=1.8, gamma=0.6, n_experiments=12,
                                  fitted_at=timezone.now())
    page = client.get(reverse("themes:palette_studio", args=[storefront.slug]))
    text = page.content.decode()
    assert "12 finished palette A/B tests" in text and 'value="1.8"' in text


def test_the_owner_previewing_is_not_counted(client, running, storefront, creator, course):
    client.force_login(creator)
    page = client.get(storefront.get_absolute_url())
    assert "/palettes/" in page.content.decode()  # the owner sees a variant too
    assert not Interaction.objects.filter(experiment=running.tag).exists()


def test_shares_that_do_not_add_up_to_100_are_reported_once_beside_the_field(client, creator, storefront,
                                                                             two_palettes):
    client.force_login(creator)
    response = client.post(reverse("experiments:list", args=[storefront.slug]), {
        "name": "Too much", "arms": [f"palette:{p.pk}" for p in two_palettes], "shares": "60, 60",
        "primary_metric": "enroll", "baseline_rate": "10", "minimum_detectable_effect": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Traffic shares must be positive and add up to 100 %.") == 1
    assert response.context["form"].errors == {"shares": ["Traffic shares must be positive and add up to 100 %."]}
    assert not storefront.experiments.exists()


def test_an_error_from_the_service_is_shown_once(client, creator, storefront, two_palettes, make_palette):
    client.force_login(creator)
    proposed = make_palette("proposed")  # not testable: the service refuses it, the form lets it through
    listing = reverse("experiments:list", args=[storefront.slug])
    every = [(f"palette:{p.pk}", str(p.pk)) for p in Palette.objects.filter(storefront=storefront)]
    with mock.patch.object(selectors, "arm_choices", return_value=every):
        response = client.post(listing, {
            "name": "Draft palette", "arms": [f"palette:{two_palettes[0].pk}", f"palette:{proposed.pk}"], "shares": "",
            "primary_metric": "enroll", "baseline_rate": "10", "minimum_detectable_effect": "5"})
    html = response.content.decode()
    assert html.count("only approved or active palettes can be tested.") == 1
    assert not storefront.experiments.exists()
