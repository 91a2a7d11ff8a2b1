"""The Paginator of every paginated page (the list, the search, the staff's change log), and whether a page is
the one asked for."""

from django.core import paginator


class Paginator(paginator.Paginator):
    def get_page(self, number):
        """As Django's (anything that is not a page number is the first page, beyond the last the last), but a
        number below 1 (`sida=0`, `sida=-3`) is the first page: the nearest, where Django shows the last."""
        try:
            if int(number) < 1:
                number = 1
        except (TypeError, ValueError):
            pass
        return super().get_page(number)


def asked_for(requested, page) -> bool:
    """Whether `requested` (the raw `sida`) names `page`: nothing asked for, or a spelling of its number
    ("2", "02", "+2", a full-width "２"). Otherwise the page says it showed another than the one asked for."""
    if requested in (None, ""):
        return True
    try:
        return int(requested) == page.number
    except ValueError:
        return False
