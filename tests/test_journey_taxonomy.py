"""The taxonomy file: the shipped default is valid, and mistakes in an edited one are named."""

from __future__ import annotations

import tomllib

import pytest

from vocmine.journey.taxonomy import default_taxonomy_text, load_taxonomy

STAGE = '''
[[stages]]
id = "{id}"
name = "{id}"
description = "about {id}"
'''


def test_taxonomy_default_has_the_stages_and_touchpoints_cx_teams_expect():
    taxonomy = load_taxonomy()
    assert taxonomy.stage_ids == ["awareness", "consideration", "purchase", "onboarding", "delivery", "usage",
                                  "billing", "support", "renewal_cancellation"]
    assert set(taxonomy.touchpoint_ids) >= {"phone", "chat", "email", "website", "mobile_app", "store",
                                            "social_media", "delivery", "bill", "field_technician",
                                            "self_service_ivr"}
    for item in [*taxonomy.stages, *taxonomy.touchpoints]:
        assert item.description and len(item.examples) >= 5 and item.patterns, item.id
    assert all(t.channels for t in taxonomy.touchpoints)


def test_taxonomy_default_patterns_belong_to_one_stage_and_one_touchpoint():
    taxonomy = load_taxonomy()
    for items in (taxonomy.stages, taxonomy.touchpoints):
        owners: dict[str, str] = {}
        for item in items:
            for pattern in item.patterns:
                assert owners.setdefault(pattern, item.id) == item.id, f"{pattern!r} in {owners[pattern]} and {item.id}"


def test_taxonomy_version_changes_with_the_content_only(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text(default_taxonomy_text(), encoding="utf-8")
    assert load_taxonomy(path).version == load_taxonomy().version
    path.write_text("# a comment changes nothing\n" + default_taxonomy_text(), encoding="utf-8")
    assert load_taxonomy(path).version == load_taxonomy().version
    path.write_text(default_taxonomy_text() + STAGE.format(id="advocacy"), encoding="utf-8")
    edited = load_taxonomy(path)
    assert edited.version != load_taxonomy().version and edited.stage_ids[-1] == "advocacy"


@pytest.mark.parametrize(("text", "message"), [
    (STAGE.format(id="billing") + STAGE.format(id="billing"), "duplicate id 'billing'"),
    (STAGE.format(id="billing") + 'colour = "blue"\n', "stages[1] (billing).colour: unknown key"),
    ("[[touchpoints]]\nid = 'app'\nname = 'App'\ndescription = 'the app'\n", "stages: Field required"),
    ("stages = []\n", "stages: List should have at least 1 item"),
    (STAGE.format(id="Billing Stage"), "'Billing Stage' is not a valid id"),
    (STAGE.format(id="unknown"), "'unknown' is reserved"),
    (STAGE.format(id="billing") + "[[touchpoints]]\nid = 'app'\nname = 'App'\ndescription = 'x'\n"
     "channels = ['web']\n[[touchpoints]]\nid = 'site'\nname = 'Site'\ndescription = 'x'\nchannels = ['WEB']\n",
     "channel 'WEB' belongs to both 'app' and 'site'"),
    ("[[stages]\nid = 'x'", "not valid TOML"),
])
def test_taxonomy_errors_name_the_file_and_the_place(tmp_path, text, message):
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_taxonomy(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_taxonomy_missing_file_is_an_error_not_the_default(tmp_path):
    with pytest.raises(ValueError, match="cannot read the taxonomy"):
        load_taxonomy(tmp_path / "nope.toml")


def test_taxonomy_default_file_is_plain_toml_with_comments():
    text = default_taxonomy_text()
    assert text.startswith("#") and tomllib.loads(text)["stages"]
