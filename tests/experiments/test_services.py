"""Guard rails, the experiment life cycle, promotion, and the feedback refit (services and selectors)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Enrollment
from courseplatform.events.models import Interaction
from courseplatform.experiments import selectors, services
from courseplatform.experiments.models import Experiment
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory
from themes import selectors as theme_selectors
from themes.experiment_arms import weights_refit
from themes.models import PaletteStatus, WeightDefaults


def test_create_plans_the_sample_and_names_variants(storefront, creator, two_palettes):
    experiment = services.experiment_create(storefront=storefront, actor=creator, name="x",
                                            kind="palette", arms=[str(p.pk) for p in two_palettes], baseline_rate=0.1,
                                            minimum_detectable_effect=0.05)
    assert experiment.status == "draft"
    assert experiment.min_sample_per_variant == 686
    assert [(v.key, v.share) for v in experiment.variants.all()] == [("A", 0.5), ("B", 0.5)]


@pytest.mark.parametrize("status", ["proposed", "submitted", "rejected", "retired"])
def test_unapproved_palettes_are_refused(storefront, creator, make_palette, status):
    good, bad = make_palette("approved"), make_palette(status)
    with pytest.raises(ValidationError) as error:
        services.experiment_create(storefront=storefront, actor=creator, name="x", kind="palette", arms=[str(p.pk) for p in (good, bad,)])
    assert error.value.code == "unapproved_palette"


def test_start_rechecks_the_guard_rails(storefront, creator, two_palettes):
    experiment = services.experiment_create(storefront=storefront, actor=creator, name="x",
                                            kind="palette", arms=[str(p.pk) for p in two_palettes])
    two_palettes[1].status = PaletteStatus.REJECTED  # e.g. withdrawn after the draft was made
    two_palettes[1].save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.experiment_start(experiment=experiment, actor=creator)
    experiment.refresh_from_db()
    assert experiment.status == "draft"


def test_shares_must_add_up_and_two_variants_are_needed(storefront, creator, two_palettes):
    with pytest.raises(ValidationError):
        services.experiment_create(storefront=storefront, actor=creator, name="x", kind="palette", arms=[str(p.pk) for p in two_palettes],
                                   shares=[0.5, 0.4])
    with pytest.raises(ValidationError):
        services.experiment_create(storefront=storefront, actor=creator, name="x", kind="palette", arms=[str(two_palettes[0].pk)])


def test_other_storefronts_palettes_and_strangers_are_refused(storefront, creator, other_creator, make_palette,
                                                              two_palettes):
    foreign = make_palette("approved", on=StorefrontFactory(owner=other_creator))
    with pytest.raises(ValidationError):
        services.experiment_create(storefront=storefront, actor=creator, name="x",
                                   kind="palette", arms=[str(two_palettes[0].pk), str(foreign.pk)])
    with pytest.raises(PermissionDenied):
        services.experiment_create(storefront=storefront, actor=other_creator, name="x",
                                   kind="palette", arms=[str(p.pk) for p in two_palettes])


def test_staff_may_manage_any_storefront(storefront, staff, two_palettes):
    experiment = services.experiment_create(storefront=storefront, actor=staff, name="x",
                                            kind="palette", arms=[str(p.pk) for p in two_palettes])
    assert services.experiment_start(experiment=experiment, actor=staff).status == "running"


def test_one_running_experiment_per_storefront(running, storefront, creator, two_palettes):
    second = services.experiment_create(storefront=storefront, actor=creator, name="again",
                                        kind="palette", arms=[str(p.pk) for p in two_palettes])
    with pytest.raises(ValidationError) as error:
        services.experiment_start(experiment=second, actor=creator)
    assert error.value.code == "already_running"
    services.experiment_stop(experiment=running, actor=creator)
    assert services.experiment_start(experiment=second, actor=creator).status == "running"


def test_stopping_keeps_the_data_and_can_resume(running, creator, course, learner):
    Interaction.objects.create(user=learner, course=course, type="impression", ts=timezone.now(),
                               experiment=running.tag, variant="A")
    before = selectors.visitor_counts(running)
    stopped = services.experiment_stop(experiment=running, actor=creator)
    assert stopped.status == "stopped" and stopped.stopped_at is not None
    assert Interaction.objects.filter(experiment=running.tag).count() == 1
    assert selectors.visitor_counts(running) == before
    assert selectors.running_experiment(type(course.storefront).objects.get(pk=course.storefront_id)) is None
    resumed = services.experiment_start(experiment=running, actor=creator)
    assert resumed.status == "running" and resumed.started_at == stopped.started_at


def test_promotion_activates_the_winner_and_retires_the_loser(running, creator, two_palettes):
    active, challenger = two_palettes
    services.experiment_promote(experiment=running, actor=creator, variant_key="B")
    active.refresh_from_db()
    challenger.refresh_from_db()
    running.refresh_from_db()
    assert challenger.status == PaletteStatus.ACTIVE
    assert active.status == PaletteStatus.RETIRED
    assert running.status == "finished" and running.winner == "B"
    assert list(challenger.transitions.values_list("to_status", flat=True)) == ["active"]


def test_promoting_the_control_keeps_it_and_retires_the_challenger(running, creator, two_palettes):
    active, challenger = two_palettes
    services.experiment_promote(experiment=running, actor=creator, variant_key="A")
    active.refresh_from_db()
    challenger.refresh_from_db()
    assert (active.status, challenger.status) == (PaletteStatus.ACTIVE, PaletteStatus.RETIRED)


def test_promotion_refuses_drafts_and_unknown_variants(storefront, creator, two_palettes, running):
    with pytest.raises(ValidationError):
        services.experiment_promote(experiment=running, actor=creator, variant_key="Z")
    draft = Experiment.objects.create(storefront=storefront, name="d")
    with pytest.raises(ValidationError):
        services.experiment_promote(experiment=draft, actor=creator, variant_key="A")


def test_results_count_each_visitor_once_per_metric(running, course, learner):
    now = timezone.now()
    other = UserFactory()

    def log(type_, **who):
        Interaction.objects.create(course=course, type=type_, ts=now, experiment=running.tag, variant="A", **who)

    for _ in range(3):
        log("impression", user=learner)
    log("click", user=learner)
    log("view", user=learner)
    log("view", user=learner)
    EnrollmentFactory(learner=learner, course=course, created_at=now)  # the real enrolment the rows record
    log("enroll", user=learner)
    log("enroll", user=learner)  # a duplicate row must not count twice
    log("impression", user=other)
    log("impression", session_key="anon-1")
    log("impression", session_key="anon-1")
    log("view", session_key="anon-1")
    counts = selectors.visitor_counts(running)["A"]
    assert counts == {"visitors": 3, "clickers": 2, "enrollers": 1}
    results = selectors.experiment_results(running)
    a = results["variants"][0]
    assert (a.visitors, a.clickers, a.enrollers) == (3, 2, 1)
    assert results["verdict"].code == "keep_collecting"


def test_feedback_refit_and_default_weights(creator, make_palette):
    category = CategoryFactory(slug="design")
    assert theme_selectors.default_weights("design")[:3] == (1.0, 1.0, 1.0)
    for i in range(6):
        shop = StorefrontFactory(owner=creator)
        course = CourseFactory(storefront=shop, category=category)
        # even experiments vary legibility (and it converts), odd ones vary harmony (and it does not)
        if i % 2 == 0:
            a_scores, b_scores, outcome = {"H": 0.5, "V": 0.4}, {"H": 0.5, "V": 0.9}, (("A", 10), ("B", 30))
        else:
            a_scores, b_scores, outcome = {"H": 0.4, "V": 0.6}, {"H": 0.9, "V": 0.6}, (("A", 20), ("B", 20))
        low = make_palette("approved", on=shop, scores={**a_scores, "B": 0.6})
        high = make_palette("approved", on=shop, colors={**low.colors, "primary": "#2e7d32"},
                            scores={**b_scores, "B": 0.6})
        experiment = services.experiment_create(storefront=shop, actor=creator, name=f"e{i}", kind="palette", arms=[str(p.pk) for p in (low, high,)])
        services.experiment_start(experiment=experiment, actor=creator)
        rows, enrolments, now = [], [], timezone.now()
        for key, enrolled in outcome:
            # the enrolling visitors are learners with a real enrolment (client-sent enroll events never count)
            learners = User.objects.bulk_create([User(username=f"e{i}-{key}-{v}") for v in range(enrolled)])
            enrolments += [Enrollment(learner=u, course=course, price_paid=course.price, created_at=now)
                           for u in learners]
            for v in range(200):
                who = {"user": learners[v]} if v < enrolled else {"session_key": f"{i}-{key}-{v}"}
                rows.append(Interaction(course=course, ts=now, type="enroll" if v < enrolled else "impression",
                                        experiment=experiment.tag, variant=key, **who))
        Enrollment.objects.bulk_create(enrolments)
        Interaction.objects.bulk_create(rows)
        services.experiment_finish(experiment=experiment, actor=creator)
    out = io.StringIO()
    call_command("refit_brief_defaults", stdout=out)
    assert "global:" in out.getvalue() and "design:" in out.getvalue()
    fitted = weights_refit()
    assert {w.scope for w in fitted} == {"global", "category"}
    glob = WeightDefaults.objects.get(scope="global")
    assert glob.n_experiments == 6 and glob.beta > 1.0 > glob.alpha  # legibility predicted enrolments
    alpha, beta, gamma, source = theme_selectors.default_weights("design")
    assert beta > 1.0 and "6" in source
    assert theme_selectors.default_weights("unknown-category")[1] == glob.beta  # falls back to the global fit
