"""The tone check: a corpus of sentences that must be flagged, and near misses that must not."""

from __future__ import annotations

import pytest

from bot.letters import Finding, tone_check
from bot.letters.tone import RULES

# (sentence, rule it must raise, the phrase that must be reported)
FLAGGED: list[tuple[str, str, str]] = [
    ("I'm so sorry for my answer about databases.", "apology", "I'm so sorry for"),
    ("Sorry, I should have explained it better.", "apology", "Sorry"),
    ("I am really sorry that it took so long.", "apology", "I am really sorry that"),
    ("Again, sorry about the confusion.", "apology", "sorry about"),
    ("I apologize for my answer on caching.", "apology", "apologize"),
    ("Please accept my apologies for the mix-up.", "apology", "my apologies"),
    ("Apologies for the long email.", "apology", "Apologies"),
    ("Forgive me for going off topic.", "apology", "Forgive me"),
    ("Please excuse my answer on testing.", "apology", "Please excuse my"),
    ("I regret not mentioning my Python work.", "apology", "I regret"),
    ("Sorry to bother you again.", "apology", "Sorry to bother"),
    ("I was so nervous during the interview.", "nerves", "I was so nervous"),
    ("My nerves got the better of me.", "nerves", "My nerves"),
    ("I'm anxious to hear back from you.", "nerves", "I'm anxious"),
    ("My mind went blank on the SQL question.", "nerves", "My mind went blank"),
    ("I blanked on the name of the library.", "nerves", "I blanked on"),
    ("I was tongue-tied when you asked about pricing.", "nerves", "tongue-tied"),
    ("I completely froze on the whiteboard task.", "nerves", "I completely froze"),
    ("I drew a blank on the last question.", "nerves", "drew a blank"),
    ("I felt overwhelmed by the live coding.", "nerves", "I felt overwhelmed"),
    ("I got flustered by the second question.", "nerves", "I got flustered"),
    ("Everyone saw how flustered I was.", "nerves", "flustered"),
    ("I panicked when the demo failed.", "nerves", "I panicked"),
    ("Interview nerves are real.", "nerves", "Interview nerves"),
    ("I know I bombed the technical round.", "self-deprecation", "I bombed"),
    ("I messed up the system design question.", "self-deprecation", "I messed up"),
    ("That was not my best interview.", "self-deprecation", "not my best"),
    ("I wasn't at my best on Tuesday.", "self-deprecation", "n't at my best"),
    ("My answers didn't do myself justice.", "self-deprecation", "n't do myself justice"),
    ("I did so badly on the case study.", "self-deprecation", "I did so badly"),
    ("I know I'm not the strongest candidate.", "self-deprecation", "not the strongest candidate"),
    ("I'm not very good at whiteboard puzzles.", "self-deprecation", "I'm not very good at"),
    ("I'm just a junior developer.", "self-deprecation", "I'm just a"),
    ("I was embarrassed by my answer.", "self-deprecation", "embarrassed"),
    ("I failed to mention my AWS certificate.", "self-deprecation", "I failed to"),
    ("I forgot to say that I led the project.", "self-deprecation", "I forgot"),
    (
        "The interview was a complete disaster.",
        "self-deprecation",
        "interview was a complete disaster",
    ),
    ("I rambled through the behavioural part.", "self-deprecation", "I rambled"),
    ("I know my answer was weak.", "self-deprecation", "my answer was weak"),
    ("I must have sounded like an idiot.", "self-deprecation", "I must have sounded like an idiot"),
    ("I really need this job.", "desperation", "I really need this job"),
    ("I'm begging you to reconsider.", "desperation", "begging you"),
    ("I'm desperate for a second chance.", "desperation", "desperate"),
    ("Please, please give me another shot.", "desperation", "please, please"),
    ("Please give me one more chance.", "desperation", "please give me one more chance"),
    ("I'll do anything to join the team.", "desperation", "I'll do anything"),
    ("I would take any job at your company.", "desperation", "take any job"),
    ("Please reconsider your decision.", "desperation", "Please reconsider"),
    ("This role means everything to me.", "desperation", "means everything to me"),
    ("I just wanted to say thank you.", "hedging", "I just wanted to"),
    ("Just checking in on my application.", "hedging", "Just checking in"),
    ("I think maybe I could possibly help.", "hedging", "I think maybe I could possibly"),
    ("If it's not too much trouble, could we talk?", "hedging", "If it's not too much trouble"),
    ("I hope I'm not bothering you.", "hedging", "I hope I'm not bothering"),
    ("It was kind of hard, perhaps.", "hedging", "kind of hard, perhaps"),
    ("Thank you so much!!!", "exclamations", "!!!"),
    ("I’m so sorry – curly apostrophes too.", "apology", "I’m so sorry"),
    ("SORRY FOR SHOUTING.", "apology", "SORRY FOR"),
]

# Ordinary text that contains the same words, or near them: none may be flagged.
NEAR_MISSES: list[str] = [
    'I applied for Head of "Sorry Not Sorry" Marketing.',
    "The Head of 'Sorry Not Sorry' Marketing role caught my eye.",
    "I used the Apologetic Cat app to prototype the flow.",
    "Our research covers the central nervous system.",
    "The role studies the peripheral nervous systems of insects.",
    "Your anxiety research lab does important work.",
    "She calmed anxious patients in the triage unit.",
    "The legacy code was in a sorry state when I joined.",
    "I left the optional field blank on purpose.",
    "We started from a blank canvas.",
    "The team froze the hiring budget in May.",
    "A kernel panic took the cluster down.",
    "I worked as a bomb disposal technician.",
    "Best regards, Ana",
    "I did my best work on the billing migration.",
    "This begs the question of scale.",
    "I beg to differ on the caching strategy.",
    "Mirza Beg led the design review.",
    "What kind of team would I join?",
    "The sort of problems you described excite me.",
    "It's not just about speed, it's about trust.",
    "I arrived just in time for the demo.",
    "With all my might, the release shipped.",
    "The algorithm is embarrassingly parallel.",
    "We built a disaster recovery plan.",
    "The previous team left the data in a mess.",
    "I need this information by Friday for the report.",
    "We need this feature for the launch.",
    "Any job description should list the salary.",
    "The stress tests passed at ten thousand users.",
    "I stressed the importance of code review.",
    "Network jitter hurt our video calls.",
    "I look forward to hearing from you.",
    "I'd welcome a second conversation.",
    "I have no regrets about changing careers.",
    "The pardon process in the justice system interested me.",
    "Excuse handling in the parser was my first task.",
    "Tell me about a time you failed, you asked.",
    "My manager forgave the debt in the story.",
    "The chance of rain was low that day.",
    "Our goodwill campaign reached 40,000 people.",
    "I led the Desperation Index project\u2019s rebrand as \u201cDesperate Housewives\u201d quiz.",
    "I can share a bit more background on my experience.",
    "I'm confident I can help the team ship faster.",
    "My previous role was at Nervous Robot Games, “Nervous Robot” for short.",
]


@pytest.mark.parametrize(("sentence", "rule", "phrase"), FLAGGED)
def test_flagged(sentence: str, rule: str, phrase: str) -> None:
    findings = tone_check(sentence)
    assert [f.rule for f in findings] == [rule], findings
    found = findings[0]
    assert found.phrase.lower() == phrase.lower()
    assert sentence[found.start : found.end] == found.phrase
    assert found.why and found.suggestion


@pytest.mark.parametrize("sentence", NEAR_MISSES)
def test_near_miss_not_flagged(sentence: str) -> None:
    assert tone_check(sentence) == []


def test_corpus_is_big_enough() -> None:
    assert len(FLAGGED) >= 40 and len(NEAR_MISSES) >= 40
    assert {rule for _, rule, _ in FLAGGED} >= {
        "apology",
        "nerves",
        "self-deprecation",
        "desperation",
        "hedging",
        "exclamations",
    }


def _letter(*sentences: str) -> str:
    return "Dear Ms Rivera,\n\n" + " ".join(sentences) + "\n\nBest regards,\nAna"


FILLER = (
    "Thank you for meeting with me about the role. I enjoyed our conversation and learned "
    "a lot about the team and the way it works together every day. It was good to see "
    "how the work is planned and shipped."
)


def test_document_rules_need_a_letter() -> None:
    # Short text is not judged as a letter: no ask, no specifics is fine for a sentence.
    assert tone_check("Thank you for your time.") == []


def test_no_ask_and_no_specifics() -> None:
    rules = [f.rule for f in tone_check(_letter(FILLER, "It was good to talk."))]
    assert rules == ["no-ask", "no-specifics"]
    for finding in tone_check(_letter(FILLER)):
        assert (finding.start, finding.end, finding.phrase) == (0, 0, "")


def test_an_ask_and_a_detail_satisfy_the_document_rules() -> None:
    text = _letter(
        FILLER,
        "I especially enjoyed hearing about the Q3 launch.",
        "Is there anything else I can clarify?",
    )
    assert tone_check(text) == []


def test_a_capitalised_name_counts_as_a_specific() -> None:
    text = _letter(
        FILLER,
        "Working with Postgres at Globex taught me a lot.",
        "Please let me know if you need anything else.",
    )
    assert tone_check(text) == []


def test_a_question_inside_quotes_is_not_an_ask() -> None:
    text = _letter(
        FILLER,
        'You asked "why do you want this job?" and I answered at length.',
        "It was good to talk.",
    )
    assert "no-ask" in [f.rule for f in tone_check(text)]


def test_too_long() -> None:
    text = _letter(FILLER * 12, "Is there anything else I can clarify about Postgres?")
    findings = tone_check(text)
    assert [f.rule for f in findings] == ["too-long"]
    assert "words" in findings[0].why


def test_too_many_exclamation_marks() -> None:
    text = _letter(
        FILLER,
        "Thanks again! I loved it! The team is great! Is there anything else "
        "I can clarify about Postgres?",
    )
    assert [f.rule for f in tone_check(text)] == ["exclamations"]


def test_a_pasted_letter_gets_each_problem_once_with_offsets() -> None:
    text = _letter(
        "I'm so sorry for my answer. I was nervous and my mind went blank.",
        FILLER,
        "I really need this job, so please let me know.",
    )
    findings = tone_check(text)
    assert [f.rule for f in findings] == ["apology", "nerves", "nerves", "desperation"]
    assert all(text[f.start : f.end] == f.phrase for f in findings)
    assert findings == sorted(findings, key=lambda f: f.start)


def test_every_rule_has_words() -> None:
    for rule in RULES.values():
        assert rule.why.endswith((".", "?")) and rule.suggestion


def test_empty_and_whitespace() -> None:
    assert tone_check("") == [] and tone_check("   \n ") == []


def test_finding_is_plain_data() -> None:
    finding = tone_check("Sorry, again.")[0]
    assert isinstance(finding, Finding)
    assert (finding.phrase, finding.start, finding.end, finding.rule) == ("Sorry", 0, 5, "apology")
