"""Every diagnostic typed-semconv can report: its code, severity, meaning and how to fix it.

This is the one list of codes. A stage reports a problem by naming one of these members
(`diagnostics.report(catalogue.UNKNOWN_REF, ...)`), `docs/diagnostics.md` is generated from it,
and the robustness tests require a test that triggers each code.
"""

from __future__ import annotations

from typed_semconv.diagnostics.core import Code, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


# --- registry references, archives, git, the cache ---------------------------------------------

SOURCE_INVALID = Code(
    "source-invalid",
    ERROR,
    "source",
    "A registry reference cannot be parsed (bad URL, git ref or `[sub/folder]`).",
    "Write a folder, a .zip/.tar.gz archive or a git URL with an optional @ref and [sub/folder].",
)
SOURCE_NOT_FOUND = Code(
    "source-not-found",
    ERROR,
    "source",
    "A local registry folder or archive does not exist.",
    "Check the path; relative paths are taken from the working folder (or the manifest's).",
)
SOURCE_DOWNLOAD_FAILED = Code(
    "source-download-failed",
    ERROR,
    "source",
    "A remote archive could not be downloaded (network error, HTTP error, too large, too slow).",
    "Check the URL and the network, or run with --offline on a filled cache.",
)
SOURCE_CHECKSUM_MISMATCH = Code(
    "source-checksum-mismatch",
    ERROR,
    "source",
    "A downloaded archive does not have the sha256 the configuration pins.",
    "Update the pin if the archive changed on purpose; otherwise do not trust the download.",
)
SOURCE_OFFLINE_MISSING = Code(
    "source-offline-missing",
    ERROR,
    "source",
    "Offline mode was asked for, and the remote registry is not in the cache.",
    "Run once with network access to fill the cache, or point --cache-dir at a filled cache.",
)
SOURCE_UNSAFE_ARCHIVE = Code(
    "source-unsafe-archive",
    ERROR,
    "source",
    "An archive holds a member that would land outside the cache, a link, a device, or more "
    "members or bytes than the limits allow.",
    "Use an archive of plain files and folders; nothing of it was extracted.",
)
SOURCE_ARCHIVE_INVALID = Code(
    "source-archive-invalid",
    ERROR,
    "source",
    "An archive is corrupt or not of the format its name says.",
    "Download it again, or check that the URL serves the archive itself.",
)
SOURCE_SUBFOLDER_MISSING = Code(
    "source-subfolder-missing",
    ERROR,
    "source",
    "The `[sub/folder]` of a reference does not exist in the fetched tree.",
    "Check the sub-folder's name (for OpenTelemetry's repository it is `model`).",
)
SOURCE_SUBFOLDER_OUTSIDE = Code(
    "source-subfolder-outside",
    ERROR,
    "source",
    "The `[sub/folder]` of a reference leads outside the fetched tree.",
    "Name a folder inside the archive or repository, without `..` or links out of it.",
)
SOURCE_GIT_FAILED = Code(
    "source-git-failed",
    ERROR,
    "source",
    "git could not clone or check out the repository at the requested ref.",
    "Check the URL and the ref; git must be installed and able to reach the host.",
)
SOURCE_CACHE_ERROR = Code(
    "source-cache-error",
    ERROR,
    "source",
    "The cache of fetched registries cannot be used (not writable, or a damaged entry).",
    "Choose another --cache-dir, or delete the damaged entry it names.",
)

# --- registry folders and files ----------------------------------------------------------------

REGISTRY_NOT_FOUND = Code(
    "registry-not-found",
    ERROR,
    "file",
    "The registry folder does not exist.",
    "Pass the folder that holds the semantic-convention YAML files.",
)
REGISTRY_NOT_A_FOLDER = Code(
    "registry-not-a-folder",
    ERROR,
    "file",
    "The registry is a file, not a folder.",
    "Pass the folder that holds the semantic-convention YAML files.",
)
REGISTRY_EMPTY = Code(
    "registry-empty",
    ERROR,
    "file",
    "The registry folder holds no .yaml or .yml file.",
    "Point at the folder with the definitions (for OpenTelemetry's repository, `model`).",
)
REGISTRY_TOO_MANY_FILES = Code(
    "registry-too-many-files",
    ERROR,
    "file",
    "A registry, dependency or templates folder holds more files and folders than any does "
    "(20,000); reading stopped there, before anything was read.",
    "Point at the registry's own folder, not at a large tree such as a home folder or `/`.",
)
REGISTRY_SYMLINK_LOOP = Code(
    "registry-symlink-loop",
    WARNING,
    "file",
    "A folder of a registry (or of the templates) is reached twice through symbolic links; it "
    "is read once.",
    "Remove the link that leads back into the folder.",
)
FILE_NOT_REGULAR = Code(
    "file-not-regular",
    ERROR,
    "file",
    "An input is a pipe, device or socket, not a regular file; it was not read.",
    "Replace it with a regular file, or remove it from the registry folder.",
)
FILE_UNREADABLE = Code(
    "file-unreadable",
    ERROR,
    "file",
    "An input file cannot be read (permissions, or it vanished).",
    "Make the file readable by the user running typed-semconv.",
)
FILE_TOO_LARGE = Code(
    "file-too-large",
    ERROR,
    "file",
    "An input file is larger than any registry file should be; it was not parsed.",
    "Split the file, or remove it if it is not a registry file.",
)
FILE_BINARY = Code(
    "file-binary",
    ERROR,
    "file",
    "An input file holds binary data, not YAML text.",
    "Remove the file from the registry folder.",
)
FILE_ENCODING = Code(
    "file-encoding",
    ERROR,
    "file",
    "An input file is not valid UTF-8.",
    "Save the file as UTF-8.",
)
FILE_EMPTY = Code(
    "file-empty",
    WARNING,
    "file",
    "A registry file is empty.",
    "Delete it or add definitions.",
)
FILE_NOT_MAPPING = Code(
    "file-not-mapping",
    ERROR,
    "file",
    "A registry file or manifest is not a YAML mapping.",
    "Start the file with `groups:` (v1) or `file_format: definition/2` (v2).",
)
FILE_UNKNOWN_FORMAT = Code(
    "file-unknown-format",
    ERROR,
    "file",
    "A YAML file of the registry is neither a v1 nor a v2 semantic-convention file.",
    "Start it with `groups:` (v1) or `file_format: definition/2` (v2), or move it out.",
)

# --- YAML ---------------------------------------------------------------------------------------

YAML_SYNTAX = Code(
    "yaml-syntax",
    ERROR,
    "file",
    "A file is not valid YAML.",
    "Fix the YAML at the line shown (indentation, quotes, a missing `:`).",
)
YAML_DUPLICATE_KEY = Code(
    "yaml-duplicate-key",
    ERROR,
    "file",
    "A mapping has the same key twice; YAML would silently keep only one.",
    "Remove or rename one of the two keys.",
)
YAML_UNSAFE_TAG = Code(
    "yaml-unsafe-tag",
    ERROR,
    "file",
    "A YAML tag asks for a Python object or another non-standard type; it was not constructed.",
    "Remove the `!tag`; registry files hold plain data only.",
)
YAML_ALIAS_BOMB = Code(
    "yaml-alias-bomb",
    ERROR,
    "file",
    "YAML aliases would expand the document far beyond its written size.",
    "Write the data out instead of nesting aliases.",
)
YAML_RECURSIVE_ALIAS = Code(
    "yaml-recursive-alias",
    ERROR,
    "file",
    "A YAML alias refers to a node that contains it.",
    "Remove the self-reference.",
)
YAML_TOO_DEEP = Code(
    "yaml-too-deep",
    ERROR,
    "file",
    "YAML nesting is deeper than any registry needs.",
    "Flatten the structure.",
)
YAML_INVALID_SCALAR = Code(
    "yaml-invalid-scalar",
    ERROR,
    "file",
    "A YAML scalar cannot be read as the type its tag or form says.",
    "Quote the value, or write it in a valid form.",
)
YAML_MERGE_KEY = Code(
    "yaml-merge-key",
    ERROR,
    "file",
    "A YAML merge key (`<<`) is used; weaver does not apply merges.",
    "Write the merged keys out.",
)
YAML_KEY_TYPE = Code(
    "yaml-key-type",
    ERROR,
    "file",
    "A mapping key is not a string.",
    "Quote the key.",
)

# --- schema of a file ---------------------------------------------------------------------------

SCHEMA_UNKNOWN_KEY = Code(
    "schema-unknown-key",
    ERROR,
    "schema",
    "A mapping has a key the format does not define.",
    "Correct the key's spelling, or remove it.",
)
SCHEMA_MISSING_KEY = Code(
    "schema-missing-key",
    ERROR,
    "schema",
    "A mapping lacks a key the format requires.",
    "Add the key.",
)
SCHEMA_INVALID_VALUE = Code(
    "schema-invalid-value",
    ERROR,
    "schema",
    "A value has the wrong type or is not one of the allowed values.",
    "Write a value of the expected type or one of the values listed.",
)
ATTRIBUTE_UNKNOWN_TYPE = Code(
    "attribute-unknown-type",
    ERROR,
    "schema",
    "An attribute has a type that is not string, int, double, boolean, any, an array, a "
    "template or an enum.",
    "Use one of the listed types.",
)
ENUM_NO_MEMBERS = Code(
    "enum-no-members",
    ERROR,
    "schema",
    "An enum attribute has no members.",
    "Add members, or give the attribute a plain type.",
)
ENUM_MIXED_VALUES = Code(
    "enum-mixed-values",
    ERROR,
    "schema",
    "The members of an enum have values of different types.",
    "Give every member a value of the same type.",
)
LEGACY_CONSTRAINTS = Code(
    "legacy-constraints",
    WARNING,
    "schema",
    "A group has `constraints` (`any_of`, `include`) as written up to release v1.25; they are "
    "read and ignored.",
    "Remove them; `ref` or `extends` the attributes the group needs.",
)
LEGACY_REF_PREFIX = Code(
    "legacy-ref-prefix",
    WARNING,
    "schema",
    "A `ref` has the `prefix` flag of releases up to v1.25; it has no effect.",
    "Remove it: a `ref` names the attribute by its full key.",
)

# --- resolution ---------------------------------------------------------------------------------

UNKNOWN_REF = Code(
    "unknown-ref",
    ERROR,
    "resolution",
    "A `ref` names an attribute that neither the registry nor its direct dependencies define.",
    "Correct the key, or declare the registry that defines it as a direct dependency.",
)
UNKNOWN_EXTENDS = Code(
    "unknown-extends",
    ERROR,
    "resolution",
    "A group `extends` a group that does not exist.",
    "Correct the group id.",
)
UNKNOWN_REF_GROUP = Code(
    "unknown-ref-group",
    ERROR,
    "resolution",
    "A `ref_group` names no attribute group.",
    "Correct the attribute group's id.",
)
UNKNOWN_REFINEMENT_TARGET = Code(
    "unknown-refinement-target",
    ERROR,
    "resolution",
    "A refinement refines a signal that does not exist.",
    "Correct the refined signal's name.",
)
EXTENDS_CYCLE = Code(
    "extends-cycle",
    ERROR,
    "resolution",
    "Groups inherit from each other in a cycle.",
    "Break the cycle of `extends`, `ref_group` or refinements shown.",
)
DUPLICATE_ATTRIBUTE = Code(
    "duplicate-attribute",
    ERROR,
    "resolution",
    "An attribute is defined twice (or by the project and by a dependency).",
    "Keep one definition and `ref` it elsewhere.",
)
DUPLICATE_GROUP = Code(
    "duplicate-group",
    ERROR,
    "resolution",
    "Two groups have the same id.",
    "Rename one of them.",
)
REF_GROUP_COLLISION = Code(
    "ref-group-collision",
    ERROR,
    "resolution",
    "Two `ref_group`s of one group bring the same attribute.",
    "Reference the attribute from one of the attribute groups only.",
)
DUPLICATE_REF = Code(
    "duplicate-ref",
    ERROR,
    "resolution",
    "A group lists the same attribute twice (two `ref`s, or a `ref` and its definition).",
    "Keep one entry and put all of its overrides there.",
)
DUPLICATE_METRIC_NAME = Code(
    "duplicate-metric-name",
    ERROR,
    "resolution",
    "Two metric groups have the same `metric_name`, even when their ids differ.",
    "Rename one of the metrics, or make one a refinement of the other.",
)
ENTITY_REFINEMENT_IDENTITY = Code(
    "entity-refinement-identity",
    ERROR,
    "resolution",
    "An entity refinement changes which attributes identify the entity: it adds one to the "
    "identity, or moves one between `identity` and `description`.",
    "List under `identity` only attributes the entity already identifies itself by.",
)
DEPENDENCY_NO_PATH = Code(
    "dependency-no-path",
    ERROR,
    "resolution",
    "A manifest dependency has no `registry_path`.",
    "Give the folder, archive or git URL the dependency is read from.",
)
DEPENDENCY_TOO_DEEP = Code(
    "dependency-too-deep",
    ERROR,
    "resolution",
    "Registries depend on each other more levels deep than allowed.",
    "Flatten the chain of dependencies.",
)
DEPENDENCY_TOO_MANY = Code(
    "dependency-too-many",
    ERROR,
    "resolution",
    "The dependencies reach more registries than allowed; the rest were not read.",
    "Check the manifests for a dependency that fans out; real projects need a handful.",
)
DEPENDENCY_NO_SCHEMA_URL = Code(
    "dependency-no-schema-url",
    ERROR,
    "resolution",
    "A dependency's registry has no usable schema URL (its manifest lacks `schema_url`, or the "
    "URL has no host or no version segment).",
    "Give the dependency's manifest `schema_url: https://host/path/<version>`; it names the "
    "registry and its version.",
)
DEPENDENCY_CYCLE = Code(
    "dependency-cycle",
    ERROR,
    "resolution",
    "Registries depend on each other in a cycle.",
    "Remove one of the dependencies the cycle shows.",
)
DEPENDENCY_VERSION_CONFLICT = Code(
    "dependency-version-conflict",
    ERROR,
    "resolution",
    "Two dependency paths need one registry at incompatible versions (another major version, "
    "or a version that is not semantic).",
    "Make both paths use the same major version of the registry.",
)
DEPENDENCY_OUTSIDE_ARCHIVE = Code(
    "dependency-outside-archive",
    ERROR,
    "resolution",
    "A registry fetched from an archive or git repository names a local dependency outside "
    "that archive or repository; it was not read.",
    "Fetched registries may depend on remote registries or on folders inside themselves only.",
)
PUBLISHED_REGISTRY_INVALID = Code(
    "published-registry-invalid",
    ERROR,
    "resolution",
    "A published registry (`file_format: manifest/2.0`) or its resolved file cannot be used.",
    "Point `resolved_registry_uri` at the `resolved/2.0` file inside the package folder, as "
    "`weaver registry package` writes it.",
)

# --- validation of the resolved registry --------------------------------------------------------

ATTRIBUTE_INVALID_NAME = Code(
    "attribute-invalid-name",
    ERROR,
    "validation",
    "An attribute name breaks the naming rules (lowercase dot-separated snake_case).",
    "Rename it, e.g. `http.request.method`.",
)
ATTRIBUTE_NAMESPACE_COLLISION = Code(
    "attribute-namespace-collision",
    ERROR,
    "validation",
    "A name is both an attribute and the namespace of other attributes.",
    "Rename one of them, or deprecate the attribute.",
)
SIGNAL_NAME_CONTROL_CHARACTER = Code(
    "signal-name-control-character",
    ERROR,
    "validation",
    "A span, metric, event or entity name holds a control, bidirectional or other invisible "
    "character, so it reads differently from what it is.",
    "Remove the character the message names.",
)
SIGNAL_NAME_NON_ASCII = Code(
    "signal-name-non-ascii",
    ERROR,
    "validation",
    "A span, metric, event or entity name holds a non-ASCII character that can pass for an "
    "ASCII one (U+0435, a Cyrillic e, for the Latin e), and its definition does not allow it.",
    "Write the name in ASCII, or allow non-ASCII letters on that definition with "
    "`annotations: {typed_semconv: {non_ascii_name: true}}`.",
)
METRIC_NAME_INVALID = Code(
    "metric-name-invalid",
    ERROR,
    "validation",
    "A metric name is not one OpenTelemetry's metrics API accepts (an ASCII letter, then up to "
    "254 ASCII letters, digits, `_`, `.`, `-` or `/`); the SDK would refuse the instrument.",
    "Rename the metric, e.g. `kiln.firing.duration`.",
)
METRIC_UNIT_INVALID = Code(
    "metric-unit-invalid",
    ERROR,
    "validation",
    "A metric unit is not one OpenTelemetry's metrics API accepts (at most 63 ASCII "
    "characters); the SDK would refuse the instrument.",
    "Write the unit in UCUM's ASCII form, e.g. `Cel`, `By` or `{request}`.",
)
ENUM_DUPLICATE_MEMBER = Code(
    "enum-duplicate-member",
    ERROR,
    "validation",
    "An enum has two members with the same id.",
    "Give each member its own id.",
)
ENUM_MEMBER_INVALID_ID = Code(
    "enum-member-invalid-id",
    WARNING,
    "validation",
    "An enum member id is not lowercase snake_case; its Python name is derived safely.",
    "Use lowercase letters, digits, `_` and `.` in member ids.",
)
ENUM_VALUE_OUT_OF_RANGE = Code(
    "enum-value-out-of-range",
    ERROR,
    "validation",
    "An int enum member's value lies outside OpenTelemetry's signed 64-bit integer range.",
    "Use a value from -2**63 to 2**63 - 1, or a string enum.",
)
ENUM_VALUE_NOT_FINITE = Code(
    "enum-value-not-finite",
    ERROR,
    "validation",
    "A double enum member's value is NaN or infinite.",
    "Use a finite number.",
)
UNKNOWN_RENAMED_TO = Code(
    "unknown-renamed-to",
    WARNING,
    "validation",
    "A deprecation's `renamed_to` names no attribute of the registry.",
    "Correct the replacement's key.",
)
ANNOTATION_UNKNOWN_KEY = Code(
    "annotation-unknown-key",
    WARNING,
    "validation",
    "`annotations.typed_semconv` holds a key typed-semconv does not know.",
    "Use `span_name`, `name_pattern`, `non_ascii_name` (spans) or `low_cardinality` (attributes).",
)
SPAN_NO_KIND = Code(
    "span-no-kind",
    WARNING,
    "validation",
    "A span has no kind; its factory asks the caller for one.",
    "Add `span_kind:` (v1) or `kind:` (v2).",
)
SPAN_NO_ATTRIBUTES = Code(
    "span-no-attributes",
    WARNING,
    "validation",
    "A span has no attributes.",
    "Reference the attributes the span records.",
)
SPAN_NAME_INVALID = Code(
    "span-name-invalid",
    ERROR,
    "validation",
    "A span's static name or name pattern is not a valid span name.",
    "Use a short, static, printable name; put dynamic parts in a `name_pattern`.",
)
SPAN_NAME_UNKNOWN_ATTRIBUTE = Code(
    "span-name-unknown-attribute",
    ERROR,
    "validation",
    "A span's name pattern uses an attribute the span does not have.",
    "Use one of the span's attributes in the pattern, or add the attribute to the span.",
)
SPAN_NAME_HIGH_CARDINALITY = Code(
    "span-name-high-cardinality",
    WARNING,
    "validation",
    "A span's name pattern uses an attribute not known to have few values.",
    "Use an enum, boolean or `low_cardinality: true` attribute, or leave it out of the name.",
)
SPAN_NAME_EXCLUDED_ATTRIBUTE = Code(
    "span-name-excluded-attribute",
    ERROR,
    "validation",
    "A span's name pattern uses an attribute excluded from code generation.",
    "Remove the attribute from the pattern, or stop excluding it.",
)

# --- the Python view ----------------------------------------------------------------------------

NAME_COLLISION = Code(
    "name-collision",
    WARNING,
    "naming",
    "Two definitions would get the same Python name; one was given a `_2` suffix.",
    "Give the definitions names that differ in more than punctuation.",
)
ENUM_MEMBER_COLLISION = Code(
    "enum-member-collision",
    WARNING,
    "naming",
    "Two members of an enum would get the same Python name; one was given a `_2` suffix.",
    "Give the members ids that differ in more than `.`, `_` or other punctuation.",
)
SPAN_NAME_FILTERED_ATTRIBUTE = Code(
    "span-name-filtered-attribute",
    ERROR,
    "naming",
    "A span's name pattern uses an attribute the generation options leave out.",
    "Keep the attribute (stability, deprecation and namespace options) or change the pattern.",
)
NAME_OVERRIDE_INVALID = Code(
    "name-override-invalid",
    ERROR,
    "naming",
    "A `names` annotation gives a kind of name the definition does not have, or a name that is "
    "not a Python identifier.",
    "Use a kind the hint lists and an ASCII identifier that is not a keyword.",
)
SPAN_EVENT_UNKNOWN = Code(
    "span-event-unknown",
    WARNING,
    "naming",
    "A span's `events` names an event the registry does not define (or the generation options "
    "leave out); the span gets no method for it.",
    "Name the event by its `name` (or its group id), or define the event.",
)

# --- upgrading code to a newer registry (typed-semconv upgrade) ---------------------------------

UPGRADE_NO_REPLACEMENT = Code(
    "upgrade-no-replacement",
    WARNING,
    "upgrade",
    "Code uses an item the new registry deprecates without naming a replacement.",
    "Read the deprecation note and change the code by hand; upgrade leaves it as it is.",
)
UPGRADE_REMOVED = Code(
    "upgrade-removed",
    WARNING,
    "upgrade",
    "Code uses an item that is not in the new registry at all (and no rename leads anywhere).",
    "Find what replaced it in the release notes (`typed-semconv diff` lists the changes).",
)
UPGRADE_VALUE_CHANGED = Code(
    "upgrade-value-changed",
    WARNING,
    "upgrade",
    "An item was renamed, but its replacement takes values of another type, unit or instrument, "
    "so renaming alone would record wrong values.",
    "Rename it by hand and convert the values written with it.",
)
UPGRADE_NOT_GENERATED = Code(
    "upgrade-not-generated",
    WARNING,
    "upgrade",
    "An item was renamed, but the new package has no name for its replacement there (not a "
    "parameter of that span, not an enum any more, or left out by the generation options).",
    "Check the span or options of the new package and change the code by hand.",
)
UPGRADE_NOW_REQUIRED = Code(
    "upgrade-now-required",
    WARNING,
    "upgrade",
    "A span factory of the new package requires an attribute that the call does not pass.",
    "Pass a value for it; upgrade cannot know one.",
)
UPGRADE_NAME_CONFLICT = Code(
    "upgrade-name-conflict",
    WARNING,
    "upgrade",
    "A rename would clash with a name the file already binds to something else, or the old name "
    "is also bound elsewhere in the file (or comes from a star import).",
    "Rename the clashing local name, or make the change by hand.",
)
UPGRADE_F_STRING = Code(
    "upgrade-f-string",
    WARNING,
    "upgrade",
    "An f-string holds an attribute key or metric name that the new registry renames or drops.",
    "Change the text by hand; upgrade never rewrites inside f-strings.",
)
UPGRADE_STRING_NOT_REWRITTEN = Code(
    "upgrade-string-not-rewritten",
    WARNING,
    "upgrade",
    "A string equal to a renamed or dropped key stands where it is not certainly an attribute key "
    "(a variable, a comparison, a list), so upgrade left it alone.",
    "Change it by hand if it is a key, or move it into the call that records it.",
)
UPGRADE_UNPARSABLE = Code(
    "upgrade-unparsable",
    ERROR,
    "upgrade",
    "A Python file cannot be read or parsed; it was left untouched.",
    "Fix the syntax or encoding of the file, or leave it out of the paths given.",
)
UPGRADE_FILE_SKIPPED = Code(
    "upgrade-file-skipped",
    ERROR,
    "upgrade",
    "A file was not rewritten: it is a symbolic link or not a regular file, or it changed while "
    "upgrade was writing it.",
    "Run upgrade on the file the link points to, or run it again once nothing else edits the file.",
)

# --- rendering and writing ----------------------------------------------------------------------

TEMPLATE_ERROR = Code(
    "template-error",
    ERROR,
    "output",
    "A template could not be loaded or failed while rendering.",
    "Fix the template at the file and line shown.",
)
TEMPLATE_INVALID_PYTHON = Code(
    "template-invalid-python",
    ERROR,
    "output",
    "The templates produced text that is not valid Python.",
    "Check the --templates overrides.",
)
OUTPUT_CONFLICT = Code(
    "output-conflict",
    ERROR,
    "output",
    "The output folder holds something the package cannot be written over.",
    "Move the conflicting file or folder, or choose another --output.",
)
OUTPUT_RECORD_INVALID = Code(
    "output-record-invalid",
    ERROR,
    "output",
    "The package's ownership record (`.typed-semconv.json`) is not a small regular JSON file "
    "listing the generated files (a link, a pipe, huge, or not valid); nothing was written.",
    "Generate into a new folder, or remove the record if every file there may be treated as "
    "someone else's.",
)
OUTPUT_UNREADABLE = Code(
    "output-unreadable",
    ERROR,
    "output",
    "A folder or file of the user's inside the package cannot be read (or linked), so it could "
    "not be kept in the new package; nothing was changed.",
    "Make it readable by the user running typed-semconv, or move it out of the package.",
)
OUTPUT_PLATFORM_UNSUPPORTED = Code(
    "output-platform-unsupported",
    ERROR,
    "output",
    "Writing the package needs file locks and atomic renames that this platform (Windows) lacks.",
    "Run typed-semconv on Linux or macOS (on Windows, under WSL); `check` and `resolve` work.",
)
IO_ERROR = Code(
    "io-error",
    ERROR,
    "output",
    "The operating system refused a read or write.",
    "Check permissions and free space for the path shown.",
)

# --- live check ----------------------------------------------------------------------------------

LIVE_CHECK_INPUT_INVALID = Code(
    "live-check-input-invalid",
    ERROR,
    "live-check",
    "A line or document of a live-check input is not OTLP JSON nor weaver's JSON samples; it "
    "was skipped and the rest was checked.",
    "Give one OTLP export request per line (as the Collector's file exporter writes) or a JSON "
    "list of weaver samples.",
)
LIVE_CHECK_LISTEN_FAILED = Code(
    "live-check-listen-failed",
    ERROR,
    "live-check",
    "The OTLP receiver cannot listen on the address and port it was given.",
    "Choose another --otlp-port (0 picks a free one), or stop the program that uses it.",
)

CATALOGUE: tuple[Code, ...] = tuple(
    value for value in tuple(globals().values()) if isinstance(value, Code)
)
