"""The words of the demo: the network's regions and clusters, programme titles, provider names.

All names are synthetic; cluster websites live under example.org. The network is modelled on
the product brief: an AI cluster in Aragón, an IT cluster in Cluj (Nord-Vest), Swedish tech
clusters, and peers elsewhere in the EU.
"""

from __future__ import annotations

from skills_roadmap.domain import DeliveryMode, FacilityKind, HelixRole, TrainingLevel

# NUTS-2 code -> the city that names its providers and facilities.
NETWORK_REGIONS: dict[str, str] = {
    "ES24": "Zaragoza",
    "RO11": "Cluj-Napoca",
    "SE11": "Stockholm",
    "SE12": "Linköping",
    "SE22": "Malmö",
    "SE23": "Gothenburg",
    "ES21": "Bilbao",
    "PT11": "Porto",
    "ITC4": "Milan",
    "FRK2": "Grenoble",
    "NL41": "Eindhoven",
    "FI1B": "Helsinki",
    "PL21": "Kraków",
    "EL30": "Athens",
}

# People aged 16-74 per region, rounded to 10,000: approximate orders of magnitude for the demo,
# not official statistics.
NETWORK_ADULTS: dict[str, int] = {
    "ES24": 960_000,
    "RO11": 1_850_000,
    "SE11": 1_750_000,
    "SE12": 1_250_000,
    "SE22": 1_120_000,
    "SE23": 1_450_000,
    "ES21": 1_600_000,
    "PT11": 2_650_000,
    "ITC4": 7_300_000,
    "FRK2": 5_800_000,
    "NL41": 1_900_000,
    "FI1B": 1_250_000,
    "PL21": 2_500_000,
    "EL30": 2_800_000,
}

_I, _A, _P, _S = HelixRole.INDUSTRY, HelixRole.ACADEMIA, HelixRole.PUBLIC, HelixRole.SOCIETY

# (id, name, region, helix roles); the id also names the website <id>.example.org.
NETWORK_CLUSTERS: list[tuple[str, str, str, tuple[HelixRole, ...]]] = [
    ("aragon-ai", "Aragón AI Cluster", "ES24", (_I, _A, _P)),
    ("aragon-ict", "Aragón ICT Cluster", "ES24", (_I,)),
    ("aragon-agrifood-digital", "Aragón Digital Agrifood Cluster", "ES24", (_I, _A)),
    ("transilvania-it", "Transilvania IT Cluster", "RO11", (_I, _A, _P, _S)),
    ("cluj-ai-hub", "Cluj AI Innovation Hub", "RO11", (_A, _I)),
    ("nord-vest-manufacturing", "Nord-Vest Smart Manufacturing Cluster", "RO11", (_I,)),
    ("stockholm-ai", "Stockholm AI Cluster", "SE11", (_I, _A)),
    ("stockholm-fintech", "Stockholm Fintech Cluster", "SE11", (_I,)),
    ("stockholm-govtech", "Stockholm GovTech Alliance", "SE11", (_P, _S)),
    ("east-sweden-visual", "East Sweden Visualisation Cluster", "SE12", (_I, _A)),
    ("uppsala-life-science-ai", "Uppsala Life Science AI Cluster", "SE12", (_A, _I)),
    ("skane-mobile-ai", "Skåne Mobile and AI Cluster", "SE22", (_I,)),
    ("lund-data-science", "Lund Data Science Cluster", "SE22", (_A, _I, _P)),
    ("west-sweden-automotive-ai", "West Sweden Automotive AI Cluster", "SE23", (_I, _A)),
    ("gothenburg-maritime-digital", "Gothenburg Maritime Digital Cluster", "SE23", (_I,)),
    ("west-sweden-ict", "West Sweden ICT Cluster", "SE23", (_I, _P)),
    ("basque-ai", "Basque AI Cluster", "ES21", (_I, _A, _P)),
    ("basque-industry-40", "Basque Industry 4.0 Cluster", "ES21", (_I,)),
    ("porto-digital", "Porto Digital Cluster", "PT11", (_I, _P)),
    ("norte-smart-textile", "Norte Smart Textile Cluster", "PT11", (_I, _A)),
    ("milano-ai", "Milano AI Cluster", "ITC4", (_I, _A)),
    ("lombardy-fashion-tech", "Lombardy Fashion Tech Cluster", "ITC4", (_I,)),
    ("lombardy-manufacturing", "Lombardy Advanced Manufacturing Cluster", "ITC4", (_I, _P)),
    ("grenoble-alps-ai", "Grenoble Alps AI Cluster", "FRK2", (_A, _I)),
    ("lyon-digital", "Lyon Digital Cluster", "FRK2", (_I, _P, _S)),
    ("brainport-ai", "Brainport AI Cluster", "NL41", (_I, _A, _P)),
    ("eindhoven-high-tech", "Eindhoven High-Tech Systems Cluster", "NL41", (_I,)),
    ("helsinki-ai", "Helsinki AI Cluster", "FI1B", (_I, _A, _P)),
    ("uusimaa-games-xr", "Uusimaa Games and XR Cluster", "FI1B", (_I, _S)),
    ("krakow-it", "Kraków IT Cluster", "PL21", (_I, _A)),
    ("malopolska-ai-hub", "Małopolska AI Hub", "PL21", (_A, _P)),
    ("attica-ai", "Attica AI Cluster", "EL30", (_I, _A)),
    ("athens-software", "Athens Software Cluster", "EL30", (_I, _S)),
]

# The other regions some clusters also work in, across borders too: they run programmes there.
NETWORK_CLUSTER_REGIONS: dict[str, tuple[str, ...]] = {
    "grenoble-alps-ai": ("ITC4",),  # across the Alps, with Lombardy
    "stockholm-ai": ("FI1B",),  # across the Baltic, with Helsinki
    "basque-ai": ("PT11",),  # along the Atlantic arc, with Norte
    "lund-data-science": ("SE23",),  # up the west coast, with Gothenburg
}
# EU scale: the first cluster of every this-many-th region also works in the next region.
EU_CLUSTER_REGION_EVERY = 10

# EU scale: each region gets clusters on distinct themes (name, id suffix).
CLUSTER_THEMES: list[tuple[str, str]] = [
    ("AI", "ai"),
    ("Digital Innovation", "digital"),
    ("Data", "data"),
    ("Robotics", "robotics"),
    ("Smart Manufacturing", "manufacturing"),
    ("HealthTech", "health"),
    ("AgriTech", "agri"),
    ("Mobility", "mobility"),
    ("Software", "software"),
    ("Cybersecurity", "cyber"),
    ("Fintech", "fintech"),
    ("Creative Tech", "creative"),
]

# Helix-role combinations a generated cluster can have; clusters are industry-led.
CLUSTER_HELIX_COMBINATIONS: list[str] = [
    "industry",
    "industry,academia",
    "industry,public",
    "industry,academia,public",
    "industry,academia,public,society",
]

PROGRAMME_TITLES: dict[TrainingLevel, list[str]] = {
    TrainingLevel.BASIC: [
        "AI Literacy for SMEs",
        "GenAI at Work",
        "AI Basics for Citizens",
        "AI for Public Servants",
        "Prompting for Office Teams",
        "Everyday AI for Retail Staff",
        "AI Awareness for Manufacturing Crews",
        "Digital and AI Skills for Seniors",
        "Responsible AI for Teachers",
        "AI Tools for Farmers",
    ],
    TrainingLevel.INTERMEDIATE: [
        "AI Integrator Course",
        "Cloud ML Engineering Certificate",
        "MLOps Practitioner",
        "Data Engineering for AI",
        "Computer Vision for Industry",
        "GenAI Solutions Architect",
        "AI Product Management",
        "Applied NLP for Service Providers",
    ],
    TrainingLevel.EXPERT: [
        "MSc Track in Machine Learning",
        "Research Fellowship in Trustworthy AI",
        "Advanced Deep Learning Bootcamp",
        "Industrial PhD in AI",
        "LLM Engineering Residency",
        "AI Safety and Evaluation Fellowship",
    ],
}

# Provider name patterns by the provider's helix; {city} and {cluster} are filled in.
PROVIDER_PATTERNS: dict[HelixRole, list[str]] = {
    HelixRole.ACADEMIA: [
        "{city} University",
        "{city} Institute of Technology",
        "{city} Polytechnic",
    ],
    HelixRole.INDUSTRY: ["{cluster} Academy", "{city} Tech Training", "{city} AI Lab"],
    HelixRole.PUBLIC: ["{city} Employment Service", "{city} Digital Agency", "{city} City Council"],
    HelixRole.SOCIETY: [
        "{city} Public Libraries",
        "{city} Digital Citizens Association",
        "{city} Adult Education Network",
    ],
}

# Probabilities of each option per level, in the order of the option lists.
PROVIDER_HELIX = [HelixRole.ACADEMIA, HelixRole.INDUSTRY, HelixRole.PUBLIC, HelixRole.SOCIETY]
PROVIDER_HELIX_WEIGHTS: dict[TrainingLevel, list[float]] = {
    TrainingLevel.BASIC: [0.15, 0.3, 0.3, 0.25],
    TrainingLevel.INTERMEDIATE: [0.35, 0.45, 0.15, 0.05],
    TrainingLevel.EXPERT: [0.7, 0.25, 0.05, 0.0],
}

DELIVERY_MODES = [DeliveryMode.ONLINE, DeliveryMode.BLENDED, DeliveryMode.IN_PERSON]
DELIVERY_MODE_WEIGHTS: dict[TrainingLevel, list[float]] = {
    TrainingLevel.BASIC: [0.5, 0.3, 0.2],
    TrainingLevel.INTERMEDIATE: [0.3, 0.45, 0.25],
    TrainingLevel.EXPERT: [0.1, 0.3, 0.6],
}

FUNDING_SOURCES = [
    "ERDF",
    "ESF+",
    "Digital Europe",
    "Horizon Europe",
    "Regional budget",
    "Private",
]
FUNDING_SOURCE_WEIGHTS: dict[TrainingLevel, list[float]] = {
    TrainingLevel.BASIC: [0.1, 0.35, 0.15, 0.0, 0.25, 0.15],
    TrainingLevel.INTERMEDIATE: [0.2, 0.2, 0.25, 0.0, 0.1, 0.25],
    TrainingLevel.EXPERT: [0.15, 0.0, 0.25, 0.3, 0.1, 0.2],
}

FACILITY_LABELS: dict[FacilityKind, list[str]] = {
    FacilityKind.IDEA_GENERATION: ["AI Ideas Lab", "Co-creation Studio", "Innovation Hub"],
    FacilityKind.DEMONSTRATION: [
        "AI Demonstration Centre",
        "Applied AI Experience Centre",
        "AI Showroom",
    ],
    FacilityKind.TESTING: [
        "AI Testing and Experimentation Facility",
        "Robotics Test Bed",
        "Data Sandbox",
    ],
}
