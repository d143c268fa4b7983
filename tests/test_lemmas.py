"""The words the recommender compares: base forms and the parts of Finnish compounds, from
Voikko where the system has it, and a fallback that says so where it does not."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from bot import lemmas
from bot.lemmas import content_words, finnish_analysis

VOIKKO_REQUIRED = os.environ.get("VERKOSTO_VOIKKO_TESTS") == "required"


@pytest.fixture
def voikko() -> None:
    if finnish_analysis().fallback_reason:
        if VOIKKO_REQUIRED:
            pytest.fail(f"Voikko is required here: {finnish_analysis().fallback_reason}")
        pytest.skip("Voikko is not installed (apt-get install libvoikko1 voikko-fi)")


@pytest.fixture
def without_voikko(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on a machine without libvoikko."""

    def missing() -> object:
        raise OSError("libvoikko.so.1: cannot open shared object file")

    monkeypatch.setattr("libvoikko.Voikko", lambda language: missing())
    monkeypatch.setattr(lemmas, "_voikko", lemmas._voikko.__wrapped__)
    lemmas._analysed.cache_clear()
    yield
    lemmas._analysed.cache_clear()


def test_a_finnish_compound_counts_as_itself_and_its_parts(voikko: None) -> None:
    words = content_words("Kansallinen ennakointiverkostoa valtionhallinnon", "fi")
    assert {"ennakointiverkosto", "ennakointi", "verkosto"} <= set(words)
    assert {"valtionhallinto", "valtio", "hallinto"} <= set(words)
    assert "kansallinen" in words


def test_finnish_function_words_are_left_out_by_their_class(voikko: None) -> None:
    assert content_words("Me ja he, jotka tekevät tulevaisuutta", "fi") == ["tehda", "tulevaisuus"]


def test_swedish_and_english_words_are_read_as_base_forms_without_function_words() -> None:
    assert content_words("Kommunerna och nätverken för framtiden", "sv") == [
        "kommun",
        "natverk",
        "framtid",
    ]
    assert content_words("The networks of municipalities", "en") == ["network", "municipality"]


def test_without_voikko_finnish_falls_back_to_simplemma_visibly(
    without_voikko: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.lemmas"):
        analysis = finnish_analysis()
    assert analysis.analyser == "simplemma"
    assert "libvoikko.so.1" in (analysis.fallback_reason or "")
    assert analysis.details()["finnish_words_fallback"] == analysis.fallback_reason
    assert "Finnish words are read by simplemma" in caplog.text
    # Still base forms, though a compound stays whole.
    assert content_words("ennakoinnin ja hyvinvointialueiden", "fi") == [
        "ennakointi",
        "hyvinvointialue",
    ]
