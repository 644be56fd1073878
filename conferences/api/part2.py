"""API routes of conferences part 2 (holding, paperwork, the document portal, strategy meetings
held). Each part's views live in its own module; this list only gathers their routes."""

from .holding import urlpatterns as holding
from .paperwork import urlpatterns as paperwork
from .portal import urlpatterns as portal
from .strategy import urlpatterns as strategy

urlpatterns = [*holding, *paperwork, *portal, *strategy]
