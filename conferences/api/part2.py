"""API routes of conferences part 2 (holding, paperwork, strategy meetings held). Each part's
views live in its own module; this list only gathers their routes."""

from .holding import urlpatterns as holding
from .paperwork import urlpatterns as paperwork
from .strategy import urlpatterns as strategy

urlpatterns = [*holding, *paperwork, *strategy]
