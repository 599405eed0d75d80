"""Load a fidelity scale (sections, items, anchors, levels) from its JSON data file.

Used by the data migration with historical models, so it takes the model classes as arguments.
Idempotent: loading the same file twice updates rows in place.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
IPS25_FILE = DATA_DIR / "ips25_2008.json"


def load_scale(path, *, Scale, Section, Item, Anchor, Level):  # noqa: N803 (model classes)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    scale, _ = Scale.objects.update_or_create(version=data["version"], defaults={"name": data["name"]})
    for level in data["levels"]:
        Level.objects.update_or_create(
            scale=scale,
            code=level["code"],
            defaults={"name": level["name"], "min_total": level["min_total"], "max_total": level["max_total"]},
        )
    for section_data in data["sections"]:
        section, _ = Section.objects.update_or_create(
            scale=scale, number=section_data["number"], defaults={"name": section_data["name"]}
        )
        for item_data in section_data["items"]:
            item, _ = Item.objects.update_or_create(
                scale=scale,
                number=item_data["number"],
                defaults={
                    "section": section,
                    "title": item_data["title"],
                    "description": item_data["description"],
                    "data_hint": item_data.get("data_hint") or "",
                },
            )
            for score, text in item_data["anchors"].items():
                Anchor.objects.update_or_create(item=item, score=int(score), defaults={"text": text})
    return scale
