"""The OpenAPI description of the API's query strings, read from the Django
forms that validate them, so the schema and the validation cannot drift."""

from django import forms
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from core.forms import KeyChoiceField, PlaceField

KEY_PATTERN = r"^[A-Za-z0-9_-]{1,80}$"


def _describe(field) -> str:
    parts = [str(field.label or "")]
    if field.help_text:
        parts.append(str(field.help_text))
    return " — ".join(p for p in parts if p)


def parameters(form_class) -> list[OpenApiParameter]:
    """One query parameter per field of the form."""
    found = []
    for name, field in form_class.base_fields.items():
        schema: dict
        if isinstance(field, KeyChoiceField):
            schema = {"type": "string", "pattern": KEY_PATTERN}
        elif isinstance(field, forms.TypedChoiceField):
            values = [key for key, _label in field.choices if key != ""]
            schema = {"type": "integer", "enum": values}
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": [key for key, _label in field.choices]}
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer"}
            if field.min_value is not None:
                schema["minimum"] = field.min_value
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        elif isinstance(field, forms.FloatField):
            schema = {"type": "number"}
            if field.min_value is not None:
                schema["minimum"] = field.min_value
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        elif isinstance(field, forms.DateTimeField):
            schema = {"type": "string", "format": "date-time"}
        elif isinstance(field, PlaceField | forms.CharField):
            schema = {"type": "string", "maxLength": field.max_length or 100}
        else:  # pragma: no cover - a new kind of field must be described here
            raise TypeError(f"{form_class.__name__}.{name}: {type(field).__name__}")
        found.append(
            OpenApiParameter(
                name,
                schema,  # a raw schema: drf-spectacular keeps a dict as is
                location=OpenApiParameter.QUERY,
                required=False,
                description=_describe(field),
            )
        )
    return found


ERROR = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
NOT_MODIFIED = OpenApiResponse(description="Inchangé depuis l’ETag envoyé (If-None-Match).")


def page_of(serializer_class):
    """The envelope of a list: count, page, links and the results."""
    name = serializer_class.__name__.removesuffix("Serializer") + "Page"
    return inline_serializer(
        name,
        fields={
            "count": serializers.IntegerField(help_text="Nombre total de résultats."),
            "page": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
