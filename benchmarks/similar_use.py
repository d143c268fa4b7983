"""The weight of use in the recommender's ranking, chosen by cross-validation on a simulated
history of use.

The history: for each judged network, `MEMBERS` of its members are each shown its `SHOWN` most
similar networks as the present method ranks them without use. Each takes a suggestion up
(joins or opens it) with a probability that grows with the judges' grade of the pair, and says
"Not interested" with one that falls with it (`TAKE`, `REFUSE`): people who act on what they
are shown, noisily. Then leave one network out: the weight of use is chosen on the other
networks' rankings with that history, and the held-out network is scored with it. Done for
several histories (seeds).

The choice follows the one-standard-error rule: the smallest weight whose precision on the
other networks is within one standard error of the best. The simulation does not model that
people take up what is shown first more than what is shown last, which a large weight would
feed on, so among weights that do about as well the smallest is the safer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from benchmarks.similar_quality import (
    History,
    Judged,
    Scores,
    present,
    profiles_of,
    report,
    scores,
)
from bot.similarity import WEIGHTS, Profile, Uptake

MEMBERS = 20
SHOWN = 8
SEEDS = (1, 2, 3, 4, 5)
USE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)
# By the judges' grades added up (0 to 4): how likely a person is to take a suggestion up, and
# to say they are not interested.
TAKE = (0.03, 0.10, 0.25, 0.35, 0.45)
REFUSE = (0.15, 0.08, 0.04, 0.02, 0.01)


def simulated_history(judged: Judged, profiles: Sequence[Profile], seed: int) -> History:
    """What the members of each network did with its suggestions (see the module's doc)."""
    chance = np.random.default_rng(seed)
    shown_first = present(profiles, weights=replace(WEIGHTS, use=0.0))
    history: dict[int, dict[int, Uptake]] = {}
    for source, ranking in enumerate(shown_first):
        history[source] = {}
        for candidate in ranking[:SHOWN]:
            grade = int(judged.grades[source, candidate])
            draws = chance.random(MEMBERS)
            taken = int((draws < TAKE[grade]).sum())
            refused = int((draws > 1 - REFUSE[grade]).sum())
            history[source][candidate] = Uptake(MEMBERS, taken, refused)
    return history


def cross_validate_use(judged: Judged) -> None:
    """Print, for each history, the held-out scores without use and with the weight chosen on
    the other networks, and which weights were chosen."""
    profiles = profiles_of(judged.records)
    without: list[Scores] = []
    chosen_scores: list[Scores] = []
    chosen: dict[float, int] = {}
    for seed in SEEDS:
        history = simulated_history(judged, profiles, seed)
        rankings = {
            weight: present(profiles, weights=replace(WEIGHTS, use=weight), history=history)
            for weight in USE_WEIGHTS
        }
        precision, recall, reciprocal = [], [], []
        for held_out in range(judged.size):
            best = _smallest_as_good(
                {
                    weight: scores(ranking, judged.similar, held_out).precision
                    for weight, ranking in rankings.items()
                }
            )
            chosen[best] = chosen.get(best, 0) + 1
            alone = scores(rankings[best], judged.similar)
            precision.append(alone.precision[held_out])
            recall.append(alone.recall[held_out])
            reciprocal.append(alone.reciprocal_rank[held_out])
        chosen_scores.append(Scores(precision, recall, reciprocal))
        without.append(scores(rankings[0.0], judged.similar))
    print(f"\nlearning from use, {judged.name}: {len(SEEDS)} simulated histories")
    print(report("without use", _pooled(without)))
    print(report("use weight chosen without the network", _pooled(chosen_scores)))
    weights = ", ".join(f"{w} ({n} times)" for w, n in sorted(chosen.items()))
    print(f"    chosen: {weights}; shipped: {WEIGHTS.use}")


def _smallest_as_good(precision_by_weight: dict[float, list[float]]) -> float:
    """The smallest weight within one standard error of the best mean precision."""
    means = {weight: float(np.mean(values)) for weight, values in precision_by_weight.items()}
    best = max(means, key=lambda weight: means[weight])
    values = precision_by_weight[best]
    error = float(np.std(values, ddof=1) / np.sqrt(len(values)))
    return min(weight for weight, mean in means.items() if mean >= means[best] - error)


def _pooled(results: Sequence[Scores]) -> Scores:
    """Every network of every history, as one sample."""
    return Scores(
        [value for result in results for value in result.precision],
        [value for result in results for value in result.recall],
        [value for result in results for value in result.reciprocal_rank],
    )
