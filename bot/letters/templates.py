"""The words of every letter: per kind, several openings, bridges and closings.

Every slot holds exactly `VARIANTS` alternatives, and variant n picks alternative
n of every slot, so "another version" changes every sentence that has a choice.
Placeholders are filled by compose.py; optional pieces carry their own leading
space (" on 12 March", " at Acme") so a missing one leaves no trace.

House rules for these words (the tone check enforces most of them): no apology, no
nerves, no "just", at most one hedge per sentence, no exclamation marks, one clear
ask per letter, and in every letter at least one phrase that points at something
concrete ("especially", "my answer on", "hearing about").
"""

from __future__ import annotations

from bot.letters.kinds import LetterKind

VARIANTS = 3

Slot = tuple[str, str, str]

# Detail frames shared by kinds, chosen by the shape of what the user wrote.
DETAIL_CLAUSE: Slot = (
    "I especially enjoyed the part of our conversation where {detail}.",
    "A highlight for me was when {detail}.",
    "I particularly valued the moment when {detail}.",
)
DETAIL_GERUND: Slot = (
    "I especially enjoyed {detail}.",
    "I particularly valued {detail}.",
    "{Detail} was a highlight for me.",
)
DETAIL_MULTI: Slot = (
    "One part of our conversation has stayed with me: {Detail}",
    "A highlight for me: {Detail}",
    "One thing from our conversation stood out for me: {Detail}",
)

# Clarifications: restated with confidence, never as a correction.
CLAR_ONE: Slot = (
    "Since we spoke, I've thought more about my answer on {point}. {Answer}",
    "I'd like to add to my answer on {point}: {answer}",
    "One more thought on my answer about {point}: {answer}",
)
CLAR_QUESTION: Slot = (
    "Since we spoke, I've thought more about your question {point} {Answer}",
    "I'd like to add to my answer to your question {point} {Answer}",
    "One more thought on your question {point} {Answer}",
)
CLAR_ANSWER_ONLY: Slot = (
    "I'd also like to add one thing to my answers: {answer}",
    "One more thing I'd like to add to my answers: {answer}",
    "I'd like to build on one of my answers: {answer}",
)
CLAR_INTRO: Slot = (
    "Since we spoke, I've thought more about {n} of the questions we discussed:",
    "I'd like to add to {n} of my answers:",
    "{N} of my answers I'd like to build on:",
)
PENDING: Slot = (
    "I'd also be glad to go into more detail on {points}.",
    "I'd be happy to expand on {points} as well.",
    "I'd welcome the chance to say more about {points}.",
)

SECOND_REQUEST: Slot = (
    "I'd also welcome the chance to meet again, for this role or another where my skills "
    "are a good fit.",
    "If you're open to it, I'd value a second conversation, whether for this role or another "
    "that suits my skills.",
    "I'd be glad to meet again, for this position or any other role where I could contribute.",
)

THANK_YOU: dict[str, Slot] = {
    "subject": (
        "Thank you – {topic}",
        "Thank you for your time{dash_topic}",
        "Great to meet you{dash_topic}",
    ),
    "open": (
        "Thank {you} for taking the time to meet with me{on_date}{about_role}.",
        "Thank {you} for speaking with me{on_date}{about_role}.",
        "I appreciated the chance to talk with {you}{on_date}{about_role}, and I'm grateful "
        "for your time.",
    ),
    "detail": (
        "I especially enjoyed hearing about {detail}.",
        "I particularly enjoyed our conversation about {detail}.",
        "Hearing about {detail} made me even more excited about the role.",
    ),
    "warm": (
        "I especially enjoyed learning more about the team and how it works.",
        "I particularly enjoyed hearing how the team approaches its work.",
        "I especially valued hearing about the team's priorities.",
    ),
    "offer": (
        "If it would help, I'm happy to share more background on my experience.",
        "I'd be glad to share more background on any part of my experience.",
        "I'm happy to send examples of my work or more detail on my background.",
    ),
    "ask": (
        "Is there anything else I can clarify for you?",
        "Please let me know if anything would benefit from more clarification.",
        "Is there anything from our conversation you'd like me to expand on?",
    ),
    "offer_ask_short": (
        "I'm happy to share more background – is there anything I can clarify?",
        "Please let me know if I can clarify anything or share more background.",
        "Is there anything I can clarify, or more background I can share?",
    ),
    "second": SECOND_REQUEST,
    "close": (
        "I look forward to hearing about next steps.",
        "Thank you again, and I look forward to hearing from you.",
        "Thanks again for your time, and I look forward to staying in touch.",
    ),
    "signoff": ("Best regards,", "Kind regards,", "All the best,"),
}

SECOND_CHANCE: dict[str, Slot] = {
    "subject": (
        "Thank you, and my continued interest in {interest}",
        "Thank you, and a request{dash_topic}",
        "Following our conversation about {the_role}{at_co}",
    ),
    "open": (
        "Thank {you} for meeting with me{on_date}{about_role}.",
        "Thank {you} for your time{on_date} and for the conversation{about_role}.",
        "I'm grateful for the time {you} gave me{on_date} to talk{about_role}.",
    ),
    "detail": THANK_YOU["detail"],
    "warm": THANK_YOU["warm"],
    "enthusiasm": (
        "Our conversation left me even more enthusiastic about joining {co_or_team}.",
        "I'm genuinely excited about the chance to contribute to {co_or_team}.",
        "I came away more excited than ever about {work_at}.",
    ),
    "stress": (
        "I'm confident that {stress} would let me contribute from day one.",
        "I believe {stress} would make a real difference to the team.",
        "In particular, I'd bring {stress}.",
    ),
    "request": (
        "I would value the opportunity for a second interview, for this role or any other "
        "position where my skills would be a good fit.",
        "If you're open to it, I'd welcome a second conversation, whether for this role or "
        "another one that fits my skills.",
        "Would you consider meeting with me again, for this position or another role where I "
        "could contribute?",
    ),
    "offer": (
        "In the meantime, I'm happy to share more background or examples of my work.",
        "I'd be glad to provide more background on any part of my experience.",
        "If more detail on my background would help, I'm happy to send it.",
    ),
    "close": (
        "Thank you again for your time and consideration.",
        "I look forward to hearing from you.",
        "Thank you again, and I look forward to hearing from you.",
    ),
    "signoff": ("Best regards,", "Kind regards,", "With thanks,"),
}

FOLLOW_UP: dict[str, Slot] = {
    "subject": (
        "Following up – {topic}",
        "Checking in on {the_role}{at_co}",
        "{Topic}: a quick follow-up",
    ),
    "open": (
        "I hope you're doing well. I'm writing to follow up on my interview{on_date}{for_role}.",
        "I'm following up on our conversation{on_date}{about_role}.",
        "I'm writing to check in on {the_role}{at_co}, following my interview{on_date}.",
    ),
    "open_short": (
        "I'm writing to follow up on my interview{on_date}{for_role}.",
        "I'm following up on our conversation{on_date}{about_role}.",
        "I'm writing to check in on {the_role}{at_co}, following my interview{on_date}.",
    ),
    "promised": (
        "You mentioned you hoped to reach a decision by {promised}, so I wanted to ask whether "
        "there's any news.",
        "I understand you planned to have an update by {promised}, and I'd be glad to hear where "
        "things stand.",
        "As {promised} has now passed, I wanted to see whether there's an update on the timeline.",
    ),
    "no_promised": (
        "I'd be glad to hear whether there's any news on the timeline.",
        "I'd welcome any update you can share on where things stand.",
        "Is there an update you can share on the timeline?",
    ),
    "interest": (
        "I remain very interested in joining {co_or_team}, especially after our conversation.",
        "I'm still very excited about the opportunity to join {co_or_team}, particularly after "
        "learning more about the work.",
        "I'm still very keen to join {co_or_team}, especially after hearing about the team's "
        "plans.",
    ),
    "interest_detail": (
        "I remain very interested in joining {co_or_team}, especially after hearing about "
        "{detail}.",
        "Our conversation about {detail} has stayed with me, and I'm still very excited about "
        "the opportunity to join {co_or_team}.",
        "I'm still very keen to join {co_or_team}, particularly after hearing about {detail}.",
    ),
    "stress": (
        "I'm confident that {stress} would help me contribute quickly.",
        "In particular, I'd bring {stress}.",
        "I believe {stress} would make a real difference to the team.",
    ),
    "ask": (
        "Is there anything else I can provide to help with your decision?",
        "Please let me know if I can share anything else in the meantime.",
        "If any further information would help, I'm happy to send it.",
    ),
    "close": (
        "Thank you for your time.",
        "Thank you, and I look forward to hearing from you.",
        "Thanks again for your time and consideration.",
    ),
    "signoff": ("Best regards,", "Kind regards,", "All the best,"),
}

AFTER_REJECTION: dict[str, Slot] = {
    "subject": (
        "Thank you{dash_topic}",
        "Thank you, and a request for feedback",
        "Thank you for considering me{for_role_short}",
    ),
    "open": (
        "Thank you for letting me know about your decision on {the_role}{at_co}.",
        "Thank you for getting back to me about {the_role}{at_co}.",
        "Thank you for the update on {the_role}{at_co}, and for the time you gave me.",
    ),
    "detail": (
        "While I'm disappointed, I especially appreciated hearing about {detail}.",
        "I valued our conversation, and especially what I learned about {detail}.",
        "Learning about {detail} was a highlight of the process for me.",
    ),
    "warm": (
        "While I'm disappointed, I especially appreciated the chance to meet you and learn "
        "about the team.",
        "I valued our conversation and especially enjoyed learning about the team's work.",
        "I'm grateful for the chance to meet the team, and I especially enjoyed our conversation.",
    ),
    "feedback": (
        "If you have a few minutes, I'd be grateful for any feedback, especially on how I could "
        "strengthen my candidacy for future roles.",
        "Would you be willing to share any feedback, particularly on where I could be stronger?",
        "I'd welcome any feedback you're able to share, especially anything that would help "
        "me grow.",
    ),
    "door": (
        "I remain very interested in {co_or_team} and would be glad to be considered for future "
        "openings that fit my skills.",
        "I'd love to stay in touch, and I hope our paths cross again.",
        "Please keep me in mind for future roles where my experience could help {co_or_team}.",
    ),
    "close": (
        "Thank you again for your time and consideration.",
        "Thanks again for everything.",
        "Thank you again, and all the best to you and the team.",
    ),
    "signoff": ("Best regards,", "Kind regards,", "All the best,"),
}

REFERENCE_HEADS_UP: dict[str, Slot] = {
    "subject": (
        "Heads-up: {heads_subject}",
        "A quick heads-up about {heads_about}",
        "Reference heads-up{dash_co}",
    ),
    "open": (
        "I wanted to give you a quick heads-up: I interviewed{for_role}{recently}, and "
        "{they} may contact you for a reference.",
        "A quick heads-up: I interviewed{for_role}{recently}, and you may get a call from "
        "{them} as one of my references.",
        "I interviewed{for_role}{recently} and gave your name as a reference, so you may hear "
        "from {them} soon.",
    ),
    "relationship": (
        "As {relationship}, you know my work better than most.",
        "You've seen my work up close as {relationship}.",
        "Since you know my work as {relationship}, your word carries real weight.",
    ),
    "how": (
        "In short, {how}.",
        "Honestly, {how}.",
        "How it went, briefly: {how}.",
    ),
    "how_multi": (
        "In short: {How}",
        "How it went: {How}",
        "How it went, briefly: {How}",
    ),
    "how_fallback": (
        "Some parts went well and others were harder, so a good word from you could make a "
        "real difference.",
        "It was a mixed interview, so a good word from you could make a real difference.",
        "Parts of it went well and parts were tougher, so your word could make a real difference.",
    ),
    "strengths": (
        "What went well: {strengths}.",
        "The strongest parts were {strengths}.",
        "I was pleased with {strengths}.",
    ),
    "stress": (
        "If they call, it would help most if you could speak to {stress}.",
        "If they get in touch, could you highlight {stress}?",
        "If they reach out, it would be great if you could mention {stress}.",
    ),
    "stress_multi": (
        "If they call, could you stress the following? {Stress}",
        "If they get in touch, could you highlight this? {Stress}",
        "If they reach out, it would help most if you could mention this: {Stress}",
    ),
    "stress_fallback": (
        "If they call, it would help most if you could speak to the work we did together, "
        "especially how I handle challenges.",
        "If they get in touch, could you talk about the projects we worked on together, in "
        "particular how I work with a team?",
        "If they reach out, it would be great if you could mention how I work with others, "
        "especially under pressure.",
    ),
    "thanks": (
        "Thank you so much for your support.",
        "I really appreciate you vouching for me.",
        "Thanks again for being in my corner.",
    ),
    "signoff": ("Best,", "Thanks,", "All the best,"),
}

BANKS: dict[LetterKind, dict[str, Slot]] = {
    LetterKind.THANK_YOU: THANK_YOU,
    LetterKind.SECOND_CHANCE: SECOND_CHANCE,
    LetterKind.FOLLOW_UP: FOLLOW_UP,
    LetterKind.AFTER_REJECTION: AFTER_REJECTION,
    LetterKind.REFERENCE_HEADS_UP: REFERENCE_HEADS_UP,
}
