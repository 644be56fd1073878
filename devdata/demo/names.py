"""Word lists for the invented demo authority (load.py).

Every place, street and surname here is made up for the demo; the first names are ordinary
given names. Nothing is taken from a real case record.
"""

# name, code, venues: (name, kind, rooms, has family room)
DISTRICTS = (
    (
        "Northbridge",
        "northbridge",
        (
            ("Northbridge District Office", "district_office", 4, True),
            ("Larkhill Children's Centre", "childrens_centre", 2, True),
            ("Northbridge CaPSS Centre", "capss_centre", 3, False),
        ),
    ),
    (
        "Eastholme",
        "eastholme",
        (
            ("Eastholme District Office", "district_office", 3, False),
            ("Brackenfold Children's Centre", "childrens_centre", 2, True),
        ),
    ),
    (
        "Westford",
        "westford",
        (
            ("Westford District Office", "district_office", 3, True),
            ("Millrace Children's Centre", "childrens_centre", 1, False),
            ("Westford CaPSS Centre", "capss_centre", 2, True),
        ),
    ),
    (
        "Southmoor",
        "southmoor",
        (
            ("Southmoor District Office", "district_office", 4, True),
            ("Cindergate Children's Centre", "childrens_centre", 2, False),
        ),
    ),
)

STREETS = (
    "Larkspur Road",
    "Tannery Lane",
    "Quillet Street",
    "Harrowgate Close",
    "Fennick Avenue",
    "Marlowe Terrace",
    "Copperbeck Way",
    "Sallowfield Road",
    "Dunnock Drive",
    "Wheelwright Row",
    "Ashbury Crescent",
    "Kestrel Walk",
    "Orchardine Street",
    "Pennyfold Lane",
    "Brindle Court",
    "Gorsefield Grove",
    "Ravensby Road",
    "Tillington Place",
    "Withycombe Street",
    "Nettlebank",
    "Cobbler's Yard",
    "Heronsgate",
    "Mossley Rise",
    "Foxglove Mews",
    "Ladysmock Lane",
)

GIRLS = tuple(
    """
    Amelia Ava Bethany Chloe Daisy Ella Evie Freya Grace Hannah Holly Imogen Isla Jasmine
    Keira Lacey Leah Lily Maisie Megan Mia Millie Nadia Olivia Phoebe Poppy Rosie Ruby Sadia
    Scarlett Sienna Sophie Tia Willow Zara Aisha Amira Maryam Niamh Layla
    """.split()
)

BOYS = tuple(
    """
    Alfie Archie Arlo Bailey Callum Charlie Dylan Ethan Finley Freddie George Harley Harry
    Isaac Jack Jacob Jayden Kai Leo Logan Louie Mason Noah Oliver Oscar Reggie Riley Ryan
    Sonny Theo Toby Tyler Zach Ibrahim Yusuf Ayaan Kacper Oisin Bilal
    """.split()
)

SURNAMES = tuple(
    """
    Ashcombe Bellweather Brackley Carrodine Cowlishaw Dunmore Eddleston Fairbrook Farrowby
    Gethin Greenhall-Pike Hallowell Hesselby-Lowe Inchley Jessop Kilbride Lanchester Larkworth
    Marrowby Mossop Nettleford Oddington Pennick Quarmby Rathbone Rawcombe-Hart Sallis
    Sedgewick Thistleby Threlby-Moss Tunnicliffe Umpleby Varley-Stone Wardleby Whitcombe
    Yardley Akhtar-Hale Bhattal Okonjo-Price Dzierzon Quayle Mistry-Bell Cassidy-Rowe Nowacki
    Ferrand
    """.split()
)

# Staff: (first name, surname)
STAFF = (
    ("Helen", "Marchbank"),
    ("David", "Oxendale"),
    ("Priya", "Sandholme"),
    ("Martin", "Cleworth"),
    ("Joanne", "Tallis-Bryce"),
    ("Samuel", "Frobisher"),
    ("Catherine", "Wrayford"),
    ("Nadia", "Ormerod"),
    ("Graham", "Bellingham-Fox"),
    ("Ruth", "Entwisle"),
    ("Lorraine", "Pickavance"),
    ("Kevin", "Astell-Moor"),
    ("Gemma", "Haverill"),
    ("Rashid", "Calderbank"),
    ("Fiona", "Trelawney-Hirst"),
    ("Andrew", "Gillibrand"),
    ("Yvonne", "Stonebridge-Ayre"),
    ("Paul", "Mellingham"),
    ("Sandra", "Quennell"),
)

TARGETS = {
    "NEG": (
        "The children attend school every day, on time, with clean clothes and a packed lunch",
        "The home is kept clean and safe, with working heating and food in the cupboards",
        "Health appointments and immunisations are kept and recorded by the health visitor",
        "The youngest child is registered with a dentist and seen within three months",
    ),
    "PHY": (
        "Parents complete a parenting programme and use the agreed calm-down plan",
        "No unexplained injuries; any injury is seen by a doctor the same day",
        "The children say at every visit that they feel safe at home",
    ),
    "EMO": (
        "The children are not exposed to arguments or violence between adults at home",
        "Mother attends the domestic abuse support group every week",
        "The children's school reports improved attendance and settled behaviour",
    ),
    "SAB": (
        "The named adult has no unsupervised contact with the children",
        "The children complete the keeping-safe work with their school nurse",
        "Mother can explain the safety plan and who to call if it is broken",
    ),
    "MUL": (
        "Father engages with the substance misuse service and tests are negative",
        "The children have a safe bedroom each and a settled bedtime routine",
        "Parents attend every core group and agree the next steps in writing",
    ),
}

DECISIONS = (
    "Section 47 enquiry to proceed jointly with the police; initial conference to be convened.",
    "Single-agency section 47 enquiry by children's social care; health to see the children.",
    "Police to lead the criminal investigation; safety plan agreed with the non-abusing parent.",
)

OTHER_DECISIONS = (
    "Information to be shared with the police; return interview within 72 hours.",
    "Risk assessment to be updated and a safety plan agreed with the young person.",
    "Designated officer to be informed; employer to consider suspension pending enquiries.",
    "Health assessment to be arranged; school to monitor and report any concerns.",
)

# Invented authorities that transfer children on plans in.
OTHER_AUTHORITIES = (
    "Southmoor County Council",
    "Riverdale Borough Council",
    "City of Westhaven Council",
)

CONCERNS = {
    "assessment": "The assessment has not been updated since the family moved house.",
    "plan_drift": "Little progress on the plan's targets since the last review.",
    "core_groups": "No core group has been held since the last conference.",
    "visits": "Child protection visits have not been made within timescale.",
    "reports": "The social worker's report was not shared with the parents before conference.",
    "legal_planning": "Legal planning meeting agreed at conference has not taken place.",
}

OUTCOMES = (
    "Team manager confirmed a core group date and allocated a second worker.",
    "Assessment updated and shared with the chair.",
    "Visits rescheduled and a visiting rota agreed with the team manager.",
    "Legal planning meeting held; threshold for proceedings not met.",
)

FEEDBACK_COMMENTS = (
    "The chair explained everything clearly and listened to me.",
    "I only got the report the night before, so I could not read it properly.",
    "It was a lot of people in one room but I was given time to speak.",
    "I still don't really know what I have to do differently.",
    "",
    "",
)
