"""Linkage results and human decisions: runs, scored pairs with their explanation, reviews."""

from django.db import models
from django.db.models.functions import Greatest, Least

from .records import Record


class LinkRun(models.Model):
    """One run of the linkage: settings, thresholds, engine, what it found."""

    started = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    engine = models.CharField(max_length=20, default="duckdb")
    mode = models.CharField(max_length=20, default="full", help_text="full or incremental")
    settings = models.JSONField(default=dict, help_text="the trained Splink model")
    auto_link = models.FloatField()
    review = models.FloatField()
    records = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    code_version = models.CharField(max_length=80, blank=True)
    marks = models.JSONField(default=dict, help_text="the largest claim, event and name ids when the run read the "
                                                     "case: a record holding a newer one changed after the run")

    def __str__(self) -> str:
        return f"linkage run {self.pk} ({self.mode}, {self.people} people)"

    def band_of(self, probability: float) -> str:
        """The band a pair scored this probability falls in under the run's thresholds."""
        return "auto" if probability >= self.auto_link else "review" if probability >= self.review else "none"


class PairLink(models.Model):
    """A scored pair of records, with the per-field match weights that explain its score."""

    class Band(models.TextChoices):
        AUTO = "auto", "auto-link"
        REVIEW = "review"
        NONE = "none", "no link"

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="pairs")
    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+", db_index=False)
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    band = models.CharField(max_length=10, choices=Band.choices)
    weights = models.JSONField(default=dict, help_text="field -> match weight (bits), and the compared values")

    class Meta:
        # record_b: a record page lists the pairs either side of it (an OR over both columns).
        indexes = [models.Index(fields=["run", "band", "match_probability"], name="pairlink_band"),
                   models.Index(fields=["record_b"], name="pairlink_record_b")]
        # One score per pair and run, whichever way round: a pair stored twice would be shown, counted and
        # reviewed twice, perhaps with two different probabilities.
        constraints = [models.UniqueConstraint("run", Least("record_a", "record_b"), Greatest("record_a", "record_b"),
                                               name="pairlink_one_per_pair")]


class ReaderScore(models.Model):
    """A scored pair's match score as a reader of one level sees it: from the values that reader may read.

    Stored at the end of a run for the pairs whose records hold a value some level may not read;
    every other pair's score is the same for every reader (linkage/reader_scores.py).
    """

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="reader_scores")
    level = models.CharField(max_length=10, help_text="the most protected sensitivity the reader reads (Lens.level)")
    families = models.BooleanField(help_text="whether the reader reads relations and harassment (Lens.families)")
    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+", db_index=False)
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    weights = models.JSONField(default=dict, help_text="field -> level and match weight (bits) from the reader's values")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "level", "families", "record_a", "record_b"],
                                               name="readerscore_one_per_pair")]


class ReviewDecision(models.Model):
    """A person's decision on a pair: the same person, different people, or unsure."""

    class Decision(models.TextChoices):
        SAME = "same"
        DIFFERENT = "different"
        UNSURE = "unsure"

    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+", db_index=False)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.record_a_id}~{self.record_b_id}: {self.decision} by {self.decided_by}"


class Membership(models.Model):
    """How firmly a record belongs to its person in a run (the cluster probability)."""

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="memberships")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="memberships")
    person_id = models.CharField(max_length=40)
    cluster_probability = models.FloatField()
