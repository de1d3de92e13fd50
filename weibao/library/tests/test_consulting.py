"""OTH-4: a customer asks for a network-change proposal in the portal; an engineer drafts and
delivers it; the customer accepts. Moves outside the flow are refused."""

import pytest

from weibao.accounts.choices import Role
from weibao.core.errors import DomainError
from weibao.library import services
from weibao.library.models import ConsultingRequest
from weibao.notifications.models import Notification
from weibao.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.library.tests.urls")]


def _email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def people(world):
    # The world's account manager (of customer A) is the one told of new requests.
    provider = world.provider_user.provider
    world.user_a.email = "a@example.cn"
    world.user_a.save()
    return {
        "engineer": f.UserFactory(provider=provider, roles=[Role.ENGINEER]),
        "account": _email(world.account_manager, "am@example.cn"),
    }


def test_customer_submits_engineer_delivers_customer_accepts(client, world, people):
    client.force_login(world.user_a)
    response = client.post(
        "/library/consulting/new/",
        {"customer": world.customer_a.pk, "site": world.site_a.pk, "title": "新增 20 个端局接入",
         "description": "明年新建 20 个端局，需要扩容接入服务器和传输方案"},
    )  # fmt: skip
    request = ConsultingRequest.objects.get()
    assert response.status_code == 302
    assert (request.state, request.submitted_by) == ("submitted", world.user_a)
    assert request.number.startswith("ZX")
    assert Notification.objects.filter(kind="consulting", address="am@example.cn").exists()

    engineer = people["engineer"]
    client.force_login(engineer)
    proposal = {"proposal": "方案：增加 2 台接入服务器"}
    client.post(f"/library/consulting/{request.pk}/draft/", proposal)
    client.post(f"/library/consulting/{request.pk}/deliver/")
    request.refresh_from_db()
    assert (request.state, request.owner) == ("proposal_delivered", engineer)
    assert Notification.objects.filter(kind="consulting", address="a@example.cn").exists()

    client.force_login(world.user_a)
    page = client.get(f"/library/consulting/{request.pk}/").content.decode()
    assert "增加 2 台接入服务器" in page
    client.post(f"/library/consulting/{request.pk}/close/")
    request.refresh_from_db()
    assert request.state == "closed"
    assert request.closed_at is not None


def test_customer_cannot_draft_or_deliver_and_delivery_needs_a_proposal(world, people):
    request = services.submit_consulting(
        customer=world.customer_a, title="改造", description="需求", actor=world.user_a
    )
    with pytest.raises(DomainError):
        services.move_consulting(request, "draft", proposal="x", actor=world.user_a)
    with pytest.raises(DomainError) as refused:
        services.move_consulting(request, "deliver", actor=people["engineer"])
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)


def test_customer_asks_for_a_revision_with_a_reason(world, people):
    engineer = people["engineer"]
    request = services.submit_consulting(
        customer=world.customer_a, title="改造", description="需求", actor=world.user_a
    )
    services.move_consulting(request, "draft", proposal="v1", actor=engineer)
    services.move_consulting(request, "deliver", actor=engineer)
    with pytest.raises(DomainError) as refused:
        services.move_consulting(request, "revise", actor=world.user_a)
    assert refused.value.code == "note_required"
    request = services.move_consulting(request, "revise", note="需要预算", actor=world.user_a)
    assert request.state == "proposal_drafted"


def test_owner_must_be_a_provider_engineer(world, people):
    request = services.submit_consulting(
        customer=world.customer_a, title="改造", description="需求", actor=world.user_a
    )
    with pytest.raises(DomainError):
        services.assign_owner(request, owner=people["account"], actor=world.provider_user)
    request = services.assign_owner(request, owner=people["engineer"], actor=world.provider_user)
    assert request.owner == people["engineer"]


def test_other_customer_gets_404(client, world):
    request = services.submit_consulting(
        customer=world.customer_a, title="甲方机房搬迁", description="需求", actor=world.user_a
    )
    client.force_login(world.user_b)
    assert client.get(f"/library/consulting/{request.pk}/").status_code == 404
    assert client.post(f"/library/consulting/{request.pk}/close/").status_code == 404
    assert "甲方机房搬迁" not in client.get("/library/consulting/").content.decode()
