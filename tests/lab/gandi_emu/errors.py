# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, certops.acme contributors
"""Error responses in the shape the Gandi API uses."""

UNAUTHORIZED_MESSAGE = "You must provide an access token or an API Key."
FORBIDDEN_MESSAGE = "Access was denied to this resource."
NOT_FOUND_MESSAGE = "The resource could not be found."

# status -> ("object", "cause") as found in Gandi error bodies
_STATUS_KINDS = {
    400: ("HTTPBadRequest", "Bad Request"),
    401: ("HTTPUnauthorized", "Unauthorized"),
    403: ("HTTPForbidden", "Forbidden"),
    404: ("HTTPNotFound", "Not Found"),
    405: ("HTTPMethodNotAllowed", "Method Not Allowed"),
    409: ("HTTPConflict", "Conflict"),
    411: ("HTTPLengthRequired", "Length Required"),
    413: ("HTTPRequestEntityTooLarge", "Request Entity Too Large"),
    415: ("HTTPUnsupportedMediaType", "Unsupported Media Type"),
    429: ("HTTPTooManyRequests", "Too Many Requests"),
    500: ("HTTPInternalServerError", "Internal Server Error"),
    502: ("HTTPBadGateway", "Bad Gateway"),
    503: ("HTTPServiceUnavailable", "Service Unavailable"),
}


def error_body(status, message, errors=None):
    """The JSON body Gandi sends with an error status."""
    kind, cause = _STATUS_KINDS.get(status, ("HTTPError", "Error"))
    body = {"code": status, "message": message, "object": kind, "cause": cause}
    if errors:
        body["errors"] = errors
    return body


class ApiError(Exception):
    """A refusal of the emulated API: the status, the message and optional field errors."""

    def __init__(self, status, message, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = dict(headers or {})

    def body(self):
        return error_body(self.status, self.message, self.errors)


def validation_error(location, name, description):
    """400 with the `errors` list Gandi uses for field validation."""
    return ApiError(400, "Validation error", errors=[{"location": location, "name": name, "description": description}])


def not_found():
    return ApiError(404, NOT_FOUND_MESSAGE)
