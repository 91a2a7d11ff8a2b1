"""axe-core (WCAG 2.1 A and AA) on the page the browser shows, as a short list of what it found."""

from axe_playwright_python.sync_playwright import Axe

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Only violations are read: axe then skips collecting every passing node, its documented speed-up.
    "resultTypes": ["violations"],
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}
_axe = Axe()


def violations(page) -> list:
    """Each violation's rule, impact and first three elements; empty when axe finds nothing."""
    result = _axe.run(page, options=WCAG)
    found = result.response["violations"]
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in found]
