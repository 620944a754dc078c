"""Import every model so that the metadata is complete for Alembic and tests."""

from lims.agreements.models import *  # noqa: F403
from lims.audit.models import *  # noqa: F403
from lims.auth.models import *  # noqa: F403
from lims.bodies.models import *  # noqa: F403
from lims.certification.models import *  # noqa: F403
from lims.equipment.models import *  # noqa: F403
from lims.regulations.models import *  # noqa: F403
from lims.results.models import *  # noqa: F403
from lims.storage.models import *  # noqa: F403
from lims.testing.models import *  # noqa: F403
