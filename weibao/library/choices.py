"""Choices of the library app: software changes, documents, third-party coverage, consulting."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    """What was done to an asset's software (OTH-1)."""

    UPGRADE = "upgrade", _("版本升级")
    PATCH = "patch", _("软件补丁")
    ROLLBACK = "rollback", _("版本回退")


class DocumentCategory(models.TextChoices):
    """Shelves of the document library (资料共享, OTH-2)."""

    MANUAL = "manual", _("产品手册")
    MAINTENANCE = "maintenance", _("维护手册")
    BULLETIN = "bulletin", _("技术通告")
    TRAINING = "training", _("培训资料")
    RELEASE = "release", _("版本说明")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    """Which customers may read a document."""

    ALL = "all", _("所有客户")
    SELECTED = "selected", _("指定客户")


class ConsultingState(models.TextChoices):
    """Where a network-change consulting request stands (OTH-4); moves in `library.flow`."""

    SUBMITTED = "submitted", _("已提交")
    DRAFTED = "proposal_drafted", _("方案编制中")
    DELIVERED = "proposal_delivered", _("方案已交付")
    CLOSED = "closed", _("已关闭")


# The shared stylesheet's badge colour for each consulting state.
CONSULTING_BADGES = {
    ConsultingState.SUBMITTED: "pending",
    ConsultingState.DRAFTED: "pending",
    ConsultingState.DELIVERED: "pending",
    ConsultingState.CLOSED: "done",
}


class LibraryEvent(models.TextChoices):
    """Event kinds the library writes to the timeline (`core.audit.record_event`)."""

    FILE = "library.file", _("上传文件")
    ACCESS = "library.access", _("调整可见范围")
    COVERAGE_RENEWED = "coverage.renewed", _("第三方保修续保")
    COVERAGE_REMINDER = "coverage.reminder", _("保修到期提醒")
    CONSULTING_SUBMITTED = "consulting.submitted", _("提交方案咨询")
    CONSULTING_OWNER = "consulting.owner", _("指定负责工程师")
    CONSULTING_STATE = "consulting.state", _("咨询流程")
