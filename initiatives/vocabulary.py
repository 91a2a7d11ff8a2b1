"""The catalogue's shared vocabulary in the reader's language.

Themes, mandatory areas, Agenda 2030 goals and the three sustainability dimensions have English names
beside the Swedish ones, so that an English page says "Circular economy" and "2. Zero hunger". The
regions' own texts have no translation and stay Swedish (marked lang="sv" where they are shown).

Templates show `obj.label` with `lang="{{ obj.label_lang }}"`: the English name on English pages where
there is one, else the Swedish name, marked as Swedish.
"""

from django.utils.translation import get_language

ENGLISH = "en"
SWEDISH = "sv"


def english_wanted() -> bool:
    return (get_language() or SWEDISH).split("-")[0] == ENGLISH


class Bilingual:
    """A vocabulary model whose `label_field` has an English twin named `<label_field>_en`."""

    label_field = "name"

    def english_label(self) -> str:
        return getattr(self, f"{self.label_field}_en", "")

    @property
    def label(self) -> str:
        if english_wanted() and (english := self.english_label()):
            return english
        return getattr(self, self.label_field)

    @property
    def label_lang(self) -> str:
        return ENGLISH if english_wanted() and self.english_label() else SWEDISH

    @property
    def description_label(self) -> str:
        """The description in the reader's language, where the model has one in English."""
        if english_wanted() and (english := getattr(self, "description_en", "")):
            return english
        return getattr(self, "description", "")

    @property
    def description_lang(self) -> str:
        return ENGLISH if english_wanted() and getattr(self, "description_en", "") else SWEDISH


# The UN's official short names of the 17 Sustainable Development Goals
# (https://sdgs.un.org/goals), filled into SdgGoal.title_en by initiatives/migrations/0007.
SDG_ENGLISH = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}

# The three dimensions are a fixed vocabulary (Dimension.Slug), named in code in both languages.
DIMENSION_ENGLISH = {
    "ekonomisk": "Economic sustainability",
    "social": "Social sustainability",
    "miljomassig": "Environmental sustainability",
}
