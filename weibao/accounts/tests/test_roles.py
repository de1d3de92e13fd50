import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.choices import Role
from weibao.accounts.models import RoleAssignment
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


def test_customer_role_cannot_go_to_provider_staff():
    staff = f.UserFactory()
    with pytest.raises(ValidationError) as error:
        RoleAssignment(user=staff, role=Role.CUSTOMER_LEADER).full_clean()
    assert "role" in error.value.message_dict


def test_provider_role_cannot_go_to_customer_user():
    customer_user = f.CustomerUserFactory()
    with pytest.raises(ValidationError):
        RoleAssignment(user=customer_user, role=Role.ENGINEER).full_clean()


def test_user_may_hold_several_roles_and_per_customer_assignments():
    customer = f.CustomerFactory()
    manager = f.UserFactory(roles=[Role.ENGINEER, Role.MAINTENANCE_MANAGER])
    RoleAssignment.objects.create(user=manager, role=Role.ACCOUNT_MANAGER, customer=customer)
    manager = type(manager).objects.get(pk=manager.pk)
    assert manager.has_role(Role.MAINTENANCE_MANAGER)
    assert manager.role_codes == {Role.ENGINEER, Role.MAINTENANCE_MANAGER, Role.ACCOUNT_MANAGER}
    assert not manager.has_role(Role.SERVICE_CENTER_GM)


def test_user_belongs_to_provider_or_customer_not_both():
    user = f.UserFactory()
    user.customer = f.CustomerFactory()
    with pytest.raises(ValidationError):
        user.full_clean()
