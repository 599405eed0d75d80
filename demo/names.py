"""Invented names and phrases for the demo: people, employers, the jobs they offer, what records say."""

from __future__ import annotations

from typing import NamedTuple

from jobs.models import OccupationGroup

FIRST_NAMES: list[str] = [
    "Arlo",
    "Briony",
    "Caspian",
    "Delphine",
    "Emrys",
    "Fenna",
    "Gideon",
    "Halcyon",
    "Isolde",
    "Jory",
    "Kestrel",
    "Lorcan",
    "Marisol",
    "Nerys",
    "Orrin",
    "Perpetua",
    "Quill",
    "Rosalind",
    "Soren",
    "Tamsin",
    "Ulric",
    "Vesna",
    "Wren",
    "Xanthe",
    "Yarrow",
    "Zephyr",
    "Anouk",
    "Bastian",
    "Calla",
    "Dashiell",
    "Elowen",
    "Florian",
    "Greer",
    "Hollis",
    "Imogen",
    "Jasper",
    "Kenna",
    "Linus",
    "Maelle",
    "Niall",
]
LAST_NAMES: list[str] = [
    "Ashdown",
    "Brackwater",
    "Coldfield",
    "Dunmere",
    "Elderby",
    "Fallowmere",
    "Greywick",
    "Hollowell",
    "Ingleby",
    "Juniperly",
    "Kettleburn",
    "Larkspur",
    "Marrowby",
    "Nettlefold",
    "Oakhurst",
    "Pennywhistle",
    "Quarrington",
    "Rushmere",
    "Saltmarsh",
    "Thistlewood",
    "Underhay",
    "Vantwell",
    "Whitlock",
    "Yarwood",
    "Brightwater",
    "Copperfield",
    "Dewhurst",
    "Fernsby",
    "Glenholt",
    "Hazelrigg",
]
EMPLOYER_STEMS: list[str] = [
    "Maple Street",
    "Riverside",
    "Lakeland",
    "Harborview",
    "Cedar Lane",
    "Northgate",
    "Old Mill",
    "Sunrise",
    "Bluebird",
    "Granite Hill",
    "Willow Creek",
    "Lantern",
    "Foxglove",
    "Meadowbrook",
    "Copper Kettle",
    "Pinecrest",
    "Silver Birch",
    "Stonebridge",
    "Juniper",
    "Tidewater",
]


class EmployerKind(NamedTuple):
    industry: str  # also the second half of the employer's name ("Riverside Bakery")
    occupation_group: OccupationGroup
    job_title: str  # the job a client starts there


EMPLOYER_KINDS: list[EmployerKind] = [
    EmployerKind("Bakery", OccupationGroup.FOOD, "Baker's assistant"),
    EmployerKind("Grocery", OccupationGroup.SALES, "Stock associate"),
    EmployerKind("Diner", OccupationGroup.FOOD, "Line cook"),
    EmployerKind("Hardware", OccupationGroup.SALES, "Sales associate"),
    EmployerKind("Animal Shelter", OccupationGroup.PERSONAL_CARE, "Animal care attendant"),
    EmployerKind("Library", OccupationGroup.EDUCATION, "Library aide"),
    EmployerKind("Auto Repair", OccupationGroup.MAINTENANCE, "Tire technician"),
    EmployerKind("Landscaping", OccupationGroup.BUILDING, "Groundskeeper"),
    EmployerKind("Warehouse", OccupationGroup.TRANSPORTATION, "Order picker"),
    EmployerKind("Print Shop", OccupationGroup.PRODUCTION, "Press assistant"),
    EmployerKind("Care Home", OccupationGroup.HEALTHCARE_SUPPORT, "Dietary aide"),
    EmployerKind("Office Services", OccupationGroup.OFFICE, "Data entry clerk"),
    EmployerKind("Cleaning Co-op", OccupationGroup.BUILDING, "Custodian"),
    EmployerKind("Bike Shop", OccupationGroup.MAINTENANCE, "Bike mechanic"),
    EmployerKind("Community Center", OccupationGroup.COMMUNITY, "Program aide"),
    EmployerKind("Tech Repair", OccupationGroup.COMPUTER, "Help-desk assistant"),
    EmployerKind("Farm Stand", OccupationGroup.FARMING, "Farm hand"),
    EmployerKind("Theatre", OccupationGroup.ARTS, "Box-office assistant"),
]

# What a demo record says, drawn at random.
CONTACT_NOTES: list[str] = [
    "Talked about job interests.",
    "Practised for an interview.",
    "Checked in about work.",
    "Reviewed the job search plan.",
    "Met at a coffee shop near the bus stop.",
    "",
]
WORK_GOALS: list[str] = [
    "Part-time work with animals.",
    "A kitchen job, mornings only.",
    "Office work near home.",
    "Outdoor work, 20 hours a week.",
    "Retail, weekends.",
]
PLAN_GOALS: list[str] = [
    "Find a part-time job in food service.",
    "Get a job working outdoors.",
    "Start in retail and build to 25 hours.",
    "Find office work close to home.",
]
PLAN_STEPS: list[str] = [  # a plan has the first two to four
    "Update the résumé with the specialist.",
    "Visit three employers in the preferred area.",
    "Meet the benefits planner.",
    "Practise interview questions.",
]
SUPPORT_NOTES: list[str] = [
    "Check-in after shifts.",
    "Helped plan the bus route.",
    "Talked through a schedule change.",
    "Met at lunch break.",
    "Reviewed the first pay slip.",
]
JOB_END_REASONS: list[str] = [
    "Schedule conflicted with treatment.",
    "Wanted more hours elsewhere.",
    "Season ended.",
    "Difficulty with a supervisor.",
    "Store closed.",
]
