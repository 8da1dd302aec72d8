"""Holdout-2 layout G: actions as numbered paragraphs under headings, with no table at all.

Quirks: each priority is a numbered heading ("2. Good help and protection for
children"); each action is a paragraph that starts with its own number and ends
with a bracketed line of facts: "1.1 Review the front door ... (Lead: Head of
MASH; by Sept 2019; Status: Amber)"; the facts vary in order and wording
("Leads:" with " and " between two leads, while a singular "Lead:" title may
itself contain "and"; "by end of March 2020", a range "Jun 2019 – Dec 2019",
"ongoing", a full date, a quarter; one action has no status); the status is a
colour word (or "Complete", a word with no colour) and the plan has no key, so
the common reading applies; one action's text runs into a bullet list, with its
facts on a line of their own after the list; progress is an "Update:" paragraph
under some actions; the introduction has a numbered list of the inspection's
recommendations, which are not actions. Shipped as a PDF and a text export.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Heading, ListBlock, Para
from _truth import Action, Plan, StatusWord, Theme

WORDS = (StatusWord("Complete", None, "complete"),)


def G(
    ref: str,
    text: str,
    lead: str,
    when: str,
    status: str = "",
    update: str = "",
    items: tuple[str, ...] = (),
    order: str = "lead-when-status",
) -> Action:
    """``lead`` "A and B" after "Leads:" is two leads; ``when`` "A – B" is a range."""
    plural = lead.startswith("Leads: ")
    names = lead.removeprefix("Leads: ").removeprefix("Lead: ")
    start, due = when.split(" – ") if " – " in when else ("", when)
    FACTS[ref] = (lead, when, status, order)
    return Action(
        ref=ref,
        text=text,
        bullets=items,
        lead=tuple(names.split(" and ")) if plural else (names,),
        lead_sep=" and ",
        start=start,
        due=due,
        status_text=status,
        progress=update,
    )


# ref -> (lead as written, timescale as written, status word, order of the facts)
FACTS: dict[str, tuple[str, str, str, str]] = {}

THEMES = (
    Theme(
        "1. Help at the front door",
        items=(
            G(
                "1.1",
                "Review the front door arrangements with the police and health so that every contact "
                "is screened once, by one team.",
                "Lead: Head of MASH",
                "by Sept 2019",
                "Amber",
                "Joint screening with the police started in August; health staff join in November.",
            ),
            G(
                "1.2",
                "Agree a response time for every contact with partners and publish it on the "
                "partnership website.",
                "Lead: Safeguarding Partnership Manager",
                "by 31 July 2019",
                "Blue",
                "Response times agreed and published in July.",
            ),
            G(
                "1.3",
                "Audit 30 contacts each month to check that threshold decisions are right and are "
                "recorded clearly.",
                "Leads: Quality Assurance Manager and Head of MASH",
                "ongoing",
                "Green",
                "Six audits completed; 89% of decisions judged appropriate.",
            ),
            G(
                "1.4",
                "Offer every family stepped down from social care an early help worker within five "
                "working days.",
                "Lead: Head of Early Help",
                "by Q3 2019/20",
                "Red",
                "Only 58% of families were offered a worker in time; two vacancies are being filled.",
            ),
            G(
                "1.5",
                "Train designated safeguarding leads in every school on making good referrals.",
                "Lead: Head of Early Help",
                "Jun 2019 – Dec 2019",
                "Green",
                order="when-lead-status",
            ),
        ),
    ),
    Theme(
        "2. Good help and protection for children",
        items=(
            G(
                "2.1",
                "Introduce a single practice model and train every social worker and manager in it.",
                "Lead: PSW",
                "by end of March 2020",
                "Green",
                "Four of seven cohorts trained.",
            ),
            G(
                "2.2",
                "Make sure that strategy discussions always include the police, health and the "
                "referring agency.",
                "Lead: Head of Assessment and Intervention",
                "by Oct 2019",
                "Complete",
                "Attendance audit in October found all three agencies present in 96% of cases.",
            ),
            G(
                "2.3",
                "Reduce caseloads so that no social worker holds more than 20 children.",
                "Leads: Director of Children's Services and Head of Workforce",
                "by Dec 2019",
                "Red",
                "Average caseload was 23 in September.",
            ),
            G(
                "2.4",
                "Make sure that every child protection plan has:",
                "Lead: Principal Social Worker",
                "by Nov 2019",
                "Amber",
                "New plan template in use since September; audit of plans due in November.",
                items=(
                    "outcomes agreed with the family",
                    "a named person responsible for each action",
                    "a contingency if the plan is not working",
                ),
            ),
            G(
                "2.5",
                "Track every child subject to a child protection plan for more than 15 months at a "
                "monthly panel.",
                "Lead: Child Protection Chair Manager",
                "ongoing",
                "Green",
            ),
            G(
                "2.6",
                "Introduce pre-birth assessment guidance with the midwifery service.",
                "Lead: Head of Assessment and Intervention",
                "by Jan 2020",
            ),
        ),
    ),
    Theme(
        "3. Children in care and care leavers",
        items=(
            G(
                "3.1",
                "Publish a sufficiency strategy that sets out the placements we need for the next "
                "three years.",
                "Lead: Head of Children in Care",
                "by 30 September 2019",
                "Blue",
                "Strategy approved by Cabinet on 24 September 2019.",
            ),
            G(
                "3.2",
                "Recruit 12 new foster families, with a focus on teenagers and brothers and sisters.",
                "Lead: Fostering Service Manager",
                "by Mar 2020",
                "Amber",
                "Five families approved; four assessments under way.",
            ),
            G(
                "3.3",
                "Make sure that every child in care has a health assessment on time.",
                "Leads: Head of Children in Care and Designated Nurse",
                "by Q2 2019/20",
                "Red",
                "Timeliness was 74% in September against a target of 90%.",
                order="status-lead-when",
            ),
            G(
                "3.4",
                "Give every care leaver a pathway plan written with them and reviewed every six "
                "months.",
                "Lead: Leaving Care Manager",
                "ongoing",
                "Green",
                "93% of pathway plans were up to date in September.",
            ),
            G(
                "3.5",
                "Open a supported accommodation service for care leavers aged 18 to 21.",
                "Lead: Leaving Care Manager",
                "by Feb 2020",
                "Amber",
            ),
        ),
    ),
    Theme(
        "4. Leadership, management and the workforce",
        items=(
            G(
                "4.1",
                "Launch a recruitment and retention offer for experienced social workers.",
                "Lead: Head of Workforce",
                "by May 2019",
                "Complete",
                "Offer launched in May; eight experienced social workers recruited.",
            ),
            G(
                "4.2",
                "Give elected members a performance briefing on children's services every quarter.",
                "Lead: Director of Children's Services",
                "ongoing",
                "Green",
            ),
            G(
                "4.3",
                "Complete a self-evaluation and share it with the Improvement Board and partners.",
                "Lead: Director of Children's Services",
                "by Dec 2019",
                "Amber",
                "A draft will go to the Improvement Board in November.",
            ),
            G(
                "4.4",
                "Hold a practice conference for all staff twice a year.",
                "Lead: PSW",
                "Jul 2019 – Mar 2020",
                "Green",
                "The first conference was held in July with 150 staff.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="greystow_2019-20_our_plan_update",
    authority="Greystow",
    title="Improving Children's Services: Our Plan 2019-20",
    period="2019-20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="",
    date=dt.date(2019, 10, 21),
    formats=("pdf", "txt"),
    status_words=WORDS,
    themes=THEMES,
    no_fill_formats=("txt",),
    notes=(
        "No table: every action is a numbered paragraph ('1.1 ...') under a numbered heading, and the "
        "theme is that heading as written.",
        "The bracketed facts at the end of the paragraph are not action text. 'Leads:' with ' and ' "
        "is two leads; a singular 'Lead:' is one title even when it contains 'and'. 'PSW' is never "
        "defined and stays as written.",
        "There is no status key: colour words take the common reading; 'Complete' has no colour "
        "(status null, meaning complete); 2.6 has no status (null, unknown).",
        "A range 'Jun 2019 – Dec 2019' gives start 2019-06-01 and due 2019-12-31; 'by end of March "
        "2020' is 2020-03-31; 'ongoing' gives no date.",
        "2.4's text runs into a bullet list; its facts follow the list on a line of their own.",
        "Progress is the 'Update:' paragraph under an action, without the label.",
        "The numbered list of the inspection's recommendations in the introduction is not actions.",
        "page is the PDF page of the paragraph that starts the action.",
    ),
)


def facts_line(ref: str) -> str:
    lead, when, status, order = FACTS[ref]
    parts = {"lead": lead, "when": when, "status": f"Status: {status}" if status else ""}
    return "(" + "; ".join(parts[k] for k in order.split("-") if parts[k]) + ")"


def document() -> Document:
    blocks: list = [
        Para("Greystow Council", "title"),
        Para("Improving Children's Services: Our Plan 2019-20", "subtitle"),
        Para("Progress update for the Children's Improvement Board, 21 October 2019"),
        Heading("Introduction"),
        Para(
            "Ofsted inspected our services for children in March 2019. The inspection made four "
            "recommendations:"
        ),
        ListBlock(
            (
                "Improve the consistency of decisions at the front door.",
                "Make sure that plans for children are specific and are reviewed on time.",
                "Improve the timeliness of health assessments for children in care.",
                "Reduce caseloads so that social workers can spend time with children.",
            ),
            numbered=True,
        ),
        Para(
            "This plan sets out what we will do in response, under four priorities. Each action shows "
            "who leads it, when it will be done and its current status. Where there is news since the "
            "last meeting of the Board, an update follows the action."
        ),
    ]
    for theme in THEMES:
        blocks.append(Heading(theme.title))
        for a in theme.items:
            if a.bullets:
                blocks.append(Para(f"{a.ref} {a.text}"))
                blocks.append(ListBlock(a.bullets))
                blocks.append(Para(facts_line(a.ref)))
            else:
                blocks.append(Para(f"{a.ref} {a.text} {facts_line(a.ref)}"))
            if a.progress:
                blocks.append(Para(f"Update: {a.progress}", "small"))
    blocks.append(
        Para(
            "The Board will agree a refreshed plan for 2020-21 at its meeting in March 2020, drawing on "
            "the outcome of the next monitoring visit."
        )
    )
    return Document(
        stem=PLAN.stem,
        title="Greystow Council – Improving Children's Services: Our Plan 2019-20",
        author="Greystow Council",
        subject="Improvement plan progress update",
        landscape=False,
        header="Greystow Council – Our Plan 2019-20",
        footer="Children's Improvement Board – 21 October 2019",
        created=dt.datetime(2019, 10, 21, 9, 30, 0),
        blocks=tuple(blocks),
    )
