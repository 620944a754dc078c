"""The OpenAPI 3.1 description of the public JSON API, served as JSON."""

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)

ERROR = {"$ref": "#/components/schemas/Error"}
DATE = {"type": "string", "format": "date"}


def _query(
    name: str, description: str, schema: dict | None = None, required: bool = False
) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string", "maxLength": 200},
    }


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _json(schema: dict, description: str = "OK") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _errors(*codes: int) -> dict:
    return {str(code): _json(ERROR, "Error") for code in codes}


FILE_UPLOAD = {
    "schema": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }
}
PAGE = _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1})
CERTIFICATE_NUMBER = _path(
    "number", {"type": "string", "minLength": 1, "maxLength": 60}
)

CERTIFICATE = {
    "type": "object",
    "required": ["number", "status", "holder", "product", "regulations"],
    "properties": {
        "number": {"type": "string"},
        "status": {"enum": ["valid", "suspended", "withdrawn", "expired"]},
        "holder": {"type": "string"},
        "product": {"type": "object"},
        "regulations": {"type": "array", "items": {"type": "string"}},
        "issued_on": {"type": "string"},
        "valid_until": {"type": "string"},
        "pdf_sha256": {"type": "string"},
    },
}

DECISION = {
    "type": "object",
    "required": ["verdict", "conditions"],
    "properties": {
        "verdict": {"enum": ["accepted", "not_accepted", "needs_review"]},
        "agreement": {"type": ["string", "null"]},
        "conditions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "met", "detail"],
                "properties": {
                    "code": {"type": "string"},
                    "met": {"type": ["boolean", "null"]},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}

PATHS = {
    "/healthz": {
        "get": {
            "summary": "Check that the application and its database answer.",
            "responses": {
                "200": _json(
                    {"type": "object", "properties": {"status": {"const": "ok"}}}
                ),
                "503": _json(ERROR, "Database unreachable"),
            },
        }
    },
    "/api/v1/certificates": {
        "get": {
            "summary": "Search the public certificate register.",
            "parameters": [
                _query("q", "Number, holder, model, HS code or regulation."),
                _query("status", "valid, suspended, withdrawn or expired."),
                _query("issued_from", "Issued on or after this date.", DATE),
                _query("issued_to", "Issued on or before this date.", DATE),
                PAGE,
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["items", "total", "page"],
                        "properties": {
                            "items": {"type": "array", "items": CERTIFICATE},
                            "total": {"type": "integer"},
                            "page": {"type": "integer"},
                        },
                    }
                ),
                **_errors(400),
            },
        }
    },
    "/api/v1/certificates/export.{extension}": {
        "get": {
            "summary": "Export the register search as CSV or Excel.",
            "parameters": [
                _path("extension", {"enum": ["csv", "xlsx"]}),
                _query("q", "Number, holder, model, HS code or regulation."),
                _query("status", "valid, suspended, withdrawn or expired."),
            ],
            "responses": {"200": {"description": "The file"}, **_errors(400, 404)},
        }
    },
    "/api/v1/certificates/{number}": {
        "get": {
            "summary": "Return one certificate of the register.",
            "parameters": [CERTIFICATE_NUMBER],
            "responses": {"200": _json(CERTIFICATE), **_errors(404)},
        }
    },
    "/api/v1/certificates/{number}/pdf": {
        "get": {
            "summary": "Return the issued PDF; its SHA-256 equals pdf_sha256.",
            "parameters": [CERTIFICATE_NUMBER],
            "responses": {
                "200": {
                    "description": "The PDF",
                    "content": {"application/pdf": {"schema": {"type": "string"}}},
                },
                **_errors(404),
            },
        }
    },
    "/api/v1/verify": {
        "post": {
            "summary": "Tell whether an uploaded PDF is a document issued here.",
            "requestBody": {
                "required": True,
                "content": {"multipart/form-data": FILE_UPLOAD},
            },
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["genuine", "kind", "number", "status"],
                        "properties": {
                            "genuine": {"type": "boolean"},
                            "kind": {
                                "type": ["string", "null"],
                                "enum": ["certificate", "test_report", None],
                            },
                            "number": {"type": ["string", "null"]},
                            "status": {"type": ["string", "null"]},
                            "superseded_by": {
                                "type": ["string", "null"],
                                "description": "For a test report: the number "
                                "of the report that replaces it.",
                            },
                        },
                    }
                ),
                **_errors(400, 413),
            },
        }
    },
    "/api/v1/recognition": {
        "get": {
            "summary": "Decide whether a foreign report or certificate is accepted.",
            "parameters": [
                _query("lab", "Designation number of the foreign lab.", required=True),
                _query(
                    "regulation",
                    "Regulation code, e.g. QCVN 118:2018/BTTTT.",
                    required=True,
                ),
                _query("tested_on", "Test date.", DATE, required=True),
                _query("kind", "report or certificate."),
                _query("standard", "Standard edition the report used."),
                _query("hs_code", "HS code of the product."),
                _query("on", "Decide as of this date (default today).", DATE),
            ],
            "responses": {"200": _json(DECISION), **_errors(400)},
        }
    },
    "/api/v1/recognition/batch": {
        "post": {
            "summary": "Decide every line of a shipment list (CSV, Excel or JSON).",
            "parameters": [
                _query("format", "json, csv or xlsx."),
                _query("on", "Decide as of this date (default today).", DATE),
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": FILE_UPLOAD,
                    "application/json": {
                        "schema": {"type": "array", "items": {"type": "object"}}
                    },
                },
            },
            "responses": {"200": _json({"type": "object"}), **_errors(400, 413)},
        }
    },
    "/api/v1/bodies": {
        "get": {
            "summary": "Search conformity-assessment bodies.",
            "parameters": [
                _query("q", "Name, code or identifier."),
                _query("designated", "1 for designated bodies only."),
                PAGE,
            ],
            "responses": {"200": _json({"type": "object"}), **_errors(400)},
        }
    },
    "/api/v1/bodies/{body_id}": {
        "get": {
            "summary": "Return a body with its accreditations and designations.",
            "parameters": [_path("body_id", {"type": "integer", "minimum": 1})],
            "responses": {"200": _json({"type": "object"}), **_errors(404)},
        }
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Conformity LIMS public API",
        "version": "1",
        "description": "Certificate register, PDF verification and recognition "
        "of foreign test results. No authentication.",
    },
    "paths": PATHS,
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {"type": "string"},
                    "field": {"type": "string"},
                    "status": {"type": "integer"},
                },
            }
        }
    },
}


@bp.get("/api/v1/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
