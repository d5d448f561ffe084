"""What the Jira client returns: plain dataclasses parsed leniently from Jira's JSON (``IssueBean``
and friends; a field the answer leaves out is empty, never an exception)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.jira import wiki
from workbench.jira.adf_md import adf_to_markdown


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _name(value: Any) -> str:
    return _str(_obj(value).get("name"))


def _person(value: Any) -> str:
    return _str(_obj(value).get("displayName"))


def body_adf(value: Any) -> dict[str, Any] | None:
    """A rich-text field as ADF: v3 gives ADF, v2 (Data Center) wiki markup, converted here."""
    if isinstance(value, dict) and value.get("type") == "doc":
        return value
    if isinstance(value, str) and value.strip():
        return wiki.to_adf(value)
    return None


def markdown_of(value: Any) -> str:
    doc = body_adf(value)
    return adf_to_markdown(doc) if doc is not None else ""


@dataclass(frozen=True)
class IssueSummary:
    key: str
    id: str
    summary: str = ""
    status: str = ""
    status_category: str = ""  # new / indeterminate / done
    assignee: str = ""
    priority: str = ""
    issue_type: str = ""
    updated: str = ""

    @classmethod
    def parse(cls, data: dict[str, Any]) -> IssueSummary:
        fields = _obj(data.get("fields"))
        status = _obj(fields.get("status"))
        return cls(
            key=_str(data.get("key")),
            id=_str(data.get("id")),
            summary=_str(fields.get("summary")),
            status=_name(status),
            status_category=_str(_obj(status.get("statusCategory")).get("key")),
            assignee=_person(fields.get("assignee")),
            priority=_name(fields.get("priority")),
            issue_type=_name(fields.get("issuetype")),
            updated=_str(fields.get("updated")),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "summary": self.summary,
            "status": self.status,
            "statusCategory": self.status_category,
            "assignee": self.assignee or None,
            "priority": self.priority,
            "issueType": self.issue_type,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    created: str
    body: dict[str, Any] | None  # ADF
    author_id: str = ""

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Comment:
        return cls(
            id=_str(data.get("id")),
            author=_person(data.get("author")),
            author_id=_str(_obj(data.get("author")).get("accountId")),
            created=_str(data.get("created")),
            body=body_adf(data.get("body")),
        )

    @property
    def markdown(self) -> str:
        return adf_to_markdown(self.body) if self.body is not None else ""


@dataclass(frozen=True)
class Link:
    relation: str  # the type's words as seen from this issue ("blocks", "is blocked by")
    key: str
    summary: str
    status: str


@dataclass(frozen=True)
class Transition:
    id: str
    name: str
    to: str

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Transition:
        return cls(id=_str(data.get("id")), name=_str(data.get("name")), to=_name(data.get("to")))


@dataclass(frozen=True)
class Issue(IssueSummary):
    project: str = ""
    reporter: str = ""
    labels: tuple[str, ...] = ()
    created: str = ""
    description: dict[str, Any] | None = None  # ADF
    comments: tuple[Comment, ...] = ()
    links: tuple[Link, ...] = field(default=())

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Issue:
        base = IssueSummary.parse(data)
        fields = _obj(data.get("fields"))
        links = []
        for raw in fields.get("issuelinks") or []:
            link = _obj(raw)
            kind = _obj(link.get("type"))
            for side, words in (("outwardIssue", "outward"), ("inwardIssue", "inward")):
                other = _obj(link.get(side))
                if other:
                    other_fields = _obj(other.get("fields"))
                    links.append(
                        Link(
                            relation=_str(kind.get(words)) or _str(kind.get("name")),
                            key=_str(other.get("key")),
                            summary=_str(other_fields.get("summary")),
                            status=_name(other_fields.get("status")),
                        )
                    )
        comments = _obj(fields.get("comment")).get("comments") or []
        return cls(
            **{k: getattr(base, k) for k in IssueSummary.__dataclass_fields__},
            project=_str(_obj(fields.get("project")).get("key")),
            reporter=_person(fields.get("reporter")),
            labels=tuple(x for x in fields.get("labels") or [] if isinstance(x, str)),
            created=_str(fields.get("created")),
            description=body_adf(fields.get("description")),
            comments=tuple(Comment.parse(c) for c in comments if isinstance(c, dict)),
            links=tuple(links),
        )

    @property
    def description_markdown(self) -> str:
        return adf_to_markdown(self.description) if self.description is not None else ""

    def as_json(self) -> dict[str, Any]:
        return {
            **super().as_json(),
            "project": self.project,
            "reporter": self.reporter or None,
            "labels": list(self.labels),
            "created": self.created,
            "description": self.description_markdown,
            "comments": [
                {"id": c.id, "author": c.author, "created": c.created, "body": c.markdown}
                for c in self.comments
            ],
            "links": [
                {
                    "relation": link.relation,
                    "key": link.key,
                    "summary": link.summary,
                    "status": link.status,
                }
                for link in self.links
            ],
        }


@dataclass(frozen=True)
class JiraUser:
    """A person Jira offers (e.g. for assignment): Cloud names them by ``account_id``, Data Center by
    ``name`` (the username)."""

    account_id: str
    display_name: str
    name: str = ""
    email: str = ""

    @classmethod
    def parse(cls, data: dict[str, Any]) -> JiraUser:
        return cls(
            account_id=_str(data.get("accountId")),
            display_name=_str(data.get("displayName")) or _str(data.get("name")),
            name=_str(data.get("name")),
            email=_str(data.get("emailAddress")),
        )


@dataclass(frozen=True)
class KeyedIssues:
    """What one batched search for known keys found: the issues by the key asked for, and for each
    key Jira did not return, why (its words, or "not found")."""

    found: dict[str, IssueSummary]
    missing: dict[str, str]
