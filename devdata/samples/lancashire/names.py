"""Invented names for the sample. Given names are ordinary ones; family names are made up
from two parts ("Brackwell", "Thornacre"), so no record names a real family. Staff names are
invented too."""

import random

GIRLS = tuple(
    """
    Abbie Amber Amelia Amy Anna Bethany Brooke Caitlin Chantelle Charlotte Chelsea Chloe
    Courtney Danielle Demi Eleanor Ella Ellie Emily Emma Erin Evie Faye Freya Georgia Grace
    Hannah Holly Isabelle Jade Jasmine Jessica Kayleigh Keira Kelsey Lacey Lauren Leah Libby
    Lilly Lucy Maisie Megan Mia Millie Molly Morgan Nicole Olivia Paige Phoebe Poppy Rebecca
    Rosie Ruby Samantha Shannon Sophie Summer Tia Tyler-Rose Zoe
    """.split()
)
BOYS = tuple(
    """
    Aaron Adam Aiden Alfie Archie Ashton Bailey Ben Bradley Brandon Callum Cameron Charlie
    Connor Corey Daniel Dylan Ethan Finley Harrison Harry Harvey Jack Jacob Jake Jamie Jayden
    Joe Jordan Joshua Kai Kieran Kyle Leon Lewis Liam Logan Louis Luke Mason Matthew Max
    Nathan Oliver Owen Reece Riley Ryan Sam Scott Taylor Thomas Toby Tyler William
    """.split()
)
SOUTH_ASIAN_GIRLS = tuple(
    "Aaliyah Aisha Alisha Amina Anisa Ayesha Fatima Hafsa Hira Iqra Khadija Laiba Maryam "
    "Mehak Nadia Noor Priya Rabia Safa Sana Simran Zainab Zara".split()
)
SOUTH_ASIAN_BOYS = tuple(
    "Aarav Abdullah Adil Ahmed Ali Amir Arjun Ayaan Bilal Danyal Hamza Haris Ibrahim Ishaan "
    "Kabir Mohammed Musa Raheem Rayyan Sami Yusuf Zain Zayn".split()
)
SOUTH_ASIAN_FAMILIES = tuple(
    "Ahmadi Akhtari Bashiri Chaudry-Mir Darwani Haqqi Iqbali Javedi Karimi Latifi Mahmoodi "
    "Nazari Qadiri Rahimi Saeedi Shafiqi Tariqi Younasi Zamani".split()
)
FAMILY_STARTS = tuple(
    "Ash Birch Brack Bram Cald Clough Cold Crag Dale Eller Fell Fern Gill Gorse Hale Heath "
    "Holl Keld Lang Lin Mar Moss Nether Oak Pen Rook Rush Scar Shaw Stan Thorn Tod Whin "
    "Wild Wray Yar".split()
)
FAMILY_ENDS = tuple(
    "acre bank beck bury by croft dale den field ford gate hurst ley lock more rigg shaw "
    "side stall thwaite ton well wick worth".split()
)
STAFF = (
    ("Margaret", "Oakworth"),  # Senior IRO
    ("Helen", "Brackwell"),
    ("Christine", "Thornacre"),
    ("Paul", "Heathcroft"),
    ("Susan", "Moorfield"),
    ("Gillian", "Fernside"),
    ("Andrew", "Keldbury"),
    ("Deborah", "Wrayton"),
    ("Janet", "Langdale"),
    ("Patricia", "Gorsebank"),  # retired 31 December 2011
    ("Karen", "Scarbeck"),  # agency
    ("Lynne", "Holloway-Dean"),  # agency, part time
    ("Richard", "Stallwood"),  # left February 2011
    ("Alison", "Penmore"),  # left March 2011
)
SUPPORT_STAFF = (
    ("Tracey", "Birchfield"),
    ("Joanne", "Coldwell"),
    ("Nicola", "Dalegate"),
    ("Angela", "Ellerby"),
    ("Sharon", "Hallstead"),
    ("Dawn", "Marbury"),
    ("Kerry", "Rushton"),
    ("Lisa", "Todhurst"),
    ("Claire", "Whinfield"),
)
MANAGERS = (
    ("Stephen", "Ashgill"),
    ("Julie", "Cragford"),
    ("Martin", "Linthwaite"),
    ("Elaine", "Netherby"),
    ("Graham", "Rookley"),
    ("Anne", "Shawcross"),
    ("Peter", "Wildacre"),
    ("Carol", "Yarwick"),
    ("David", "Millbeck"),
)
DIRECTORATE = (("Rosemary", "Fellside"), ("Ian", "Stanbury"))
STREETS = tuple(
    "Acre Lane|Beck Street|Bramble Close|Canal Terrace|Church Row|Clough Road|Cotton Street|"
    "Fold Lane|Heys Avenue|Ivy Bank|Kiln Street|Loom Street|Mill Brow|Moor Lane|Nab Road|"
    "Orchard Way|Pit Lane|Quarry Bank|Reedmace Drive|School Lane|Spindle Close|Tenter Street|"
    "Vale Road|Weavers Row|Wharf Street".split("|")
)


def family_name(rng: random.Random, ethnicity: str) -> str:
    if ethnicity in ("APKN", "AIND", "ABAN", "AOTH"):
        return rng.choice(SOUTH_ASIAN_FAMILIES)
    return rng.choice(FAMILY_STARTS) + rng.choice(FAMILY_ENDS)


def given_name(rng: random.Random, ethnicity: str, gender: str) -> str:
    south_asian = ethnicity in ("APKN", "AIND", "ABAN", "AOTH")
    if gender == "1":
        return rng.choice(SOUTH_ASIAN_BOYS if south_asian else BOYS)
    if gender == "2":
        return rng.choice(SOUTH_ASIAN_GIRLS if south_asian else GIRLS)
    return "Baby"
