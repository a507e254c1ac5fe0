"""Read an AASX package (a zip archive) from bytes, defensively.

Nothing is extracted to disk. Before a member is used its header is checked against the
limits (member count, per-member and total uncompressed size, compression ratio) and its
name against path traversal; while it is read, the bytes actually produced are counted
again, so a header that lies cannot make a read unbounded. Every problem is a finding
located at the member; the member is then left out and the rest of the package is
still checked.

Only the two compression methods that Open Packaging Conventions allow (stored and
deflate) are read: the deflate decoder produces output in bounded steps, whereas a
bzip2 or LZMA member could expand one small read into gigabytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from omp_models.diagnostics import Finding, Rule, Severity, Where
from omp_models.limits import Limits

__all__ = [
    "RULES",
    "PackageSource",
    "ZipPackage",
    "open_package",
    "read_bounded",
    "unsafe_name_reason",
]

#: Bytes decompressed per read step.
CHUNK = 64 * 1024
#: Members smaller than this are never treated as zip bombs, whatever their ratio: small
#: files of repeated text (an empty XML skeleton, a run of spaces) compress very well.
RATIO_GRACE = 1 << 20

_ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_METHOD_NAMES = {
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    9: "deflate64",
}
_DRIVE = re.compile(r"^[A-Za-z]:")
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"

#: Errors that zipfile (and zlib beneath it) raise on broken or hostile archives.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    OverflowError,
)


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name is unsafe to use as a path, or ``None`` when it is safe.

    Args:
        name: The member name as stored in the archive.

    Returns:
        A short reason (absolute name, drive letter, backslash, ``..`` segment), or
        ``None``.
    """
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is absolute"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if any(segment == ".." for segment in name.split("/")):
        return "has a '..' segment (path traversal)"
    if "\x00" in name:
        return "contains a NUL character"
    return None


#: A package: its bytes, or a seekable binary file (read without loading it whole).
PackageSource = bytes | IO[bytes]


def _size(source: PackageSource) -> int:
    if isinstance(source, bytes):
        return len(source)
    return source.seek(0, io.SEEK_END)


def _read_at(source: PackageSource, offset: int, count: int) -> bytes:
    if isinstance(source, bytes):
        return source[offset : offset + count]
    source.seek(offset)
    return source.read(count)


def declared_entry_count(source: PackageSource) -> int | None:
    """The member count the end-of-central-directory record declares, if it can be found.

    Read before the central directory is parsed, so that an archive with millions of
    entries is refused without building millions of objects. Only the archive's tail
    (and, for zip64, one record) is read.
    """
    size = _size(source)
    start = max(0, size - (0xFFFF + 22))
    tail = _read_at(source, start, size - start)
    pos = tail.rfind(_EOCD)
    if pos < 0 or pos + 22 > len(tail):
        return None
    (total,) = struct.unpack_from("<H", tail, pos + 10)
    if total != 0xFFFF:
        return int(total)
    locator = pos - 20
    if locator < 0 or tail[locator : locator + 4] != _EOCD64_LOCATOR:
        return int(total)
    (offset,) = struct.unpack_from("<Q", tail, locator + 8)
    record = _read_at(source, offset, 56) if offset + 56 <= size else b""
    if len(record) < 56 or record[:4] != _EOCD64:
        return int(total)
    (total64,) = struct.unpack_from("<Q", record, 32)
    return int(total64)


def read_bounded(
    stream: IO[bytes], limit: int, compressed: int, max_ratio: int
) -> tuple[bytes | None, str | None]:
    """Read a stream in chunks, stopping as soon as a limit is exceeded.

    Args:
        stream: The member's decompressing stream.
        limit: Most bytes that may be produced.
        compressed: The member's compressed size (for the ratio).
        max_ratio: Highest compression ratio allowed above :data:`RATIO_GRACE` bytes.

    Returns:
        The bytes and ``None``, or ``None`` and ``"size"``/``"ratio"`` for the limit hit.
    """
    chunks: list[bytes] = []
    count = 0
    ratio_cap = max_ratio * max(compressed, 1)
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        count += len(chunk)
        if count > limit:
            return None, "size"
        if count > RATIO_GRACE and count > ratio_cap:
            return None, "ratio"
        chunks.append(chunk)
    return b"".join(chunks), None


@dataclass
class ZipPackage:
    """An opened package.

    Attributes:
        archive: The zip archive.
        where: The input file.
        limits: The limits that apply.
        members: Every file member with a safe name, by name (the first of duplicates).
        refused: Members that exist but are not read (their problem is already a finding).
        findings: The findings of opening and reading.
    """

    archive: zipfile.ZipFile
    where: Where
    limits: Limits
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    _folded: dict[str, list[str]] = field(default_factory=dict)
    _read_total: int = 0

    def names(self) -> Iterator[str]:
        """Every file member with a safe name, in archive order."""
        return iter(self.members)

    def lookup(self, name: str) -> tuple[str | None, str | None]:
        """Find a member by exact name, else by name with case ignored.

        Returns:
            ``(exact, None)`` when the name exists as given, ``(None, other)`` when only a
            member differing in case exists, ``(None, None)`` otherwise.
        """
        if name in self.members:
            return name, None
        others = self._folded.get(name.casefold())
        return None, (others[0] if others else None)

    def find(self, *names: str) -> tuple[str | None, str | None]:
        """Like :meth:`lookup` for several spellings of one name: exact matches first."""
        found = [self.lookup(name) for name in names]
        exact = next((e for e, _ in found if e is not None), None)
        if exact is not None:
            return exact, None
        return None, next((o for _, o in found if o is not None), None)

    def read(self, name: str) -> bytes | None:
        """The bytes of a member, or ``None`` (with a finding) when it cannot be read."""
        if name in self.refused:
            return None
        info = self.members[name]
        limits = self.limits
        left = limits.max_total_size - self._read_total
        limit = min(limits.max_member_size, left)
        member = Where(self.where.file, name)
        try:
            with self.archive.open(info) as stream:
                data, hit = read_bounded(stream, limit, info.compress_size, limits.max_ratio)
        except ZIP_ERRORS as exc:
            self.refused.add(name)
            self.findings.append(
                member.finding("aasx/corrupt-zip", f"The member cannot be read: {exc}.")
            )
            return None
        if data is None:
            self.refused.add(name)
            self.findings.append(_limit_finding(member, hit, limits, left < limits.max_member_size))
            return None
        self._read_total += len(data)
        return data


def _limit_finding(member: Where, hit: str | None, limits: Limits, total: bool) -> Finding:
    if hit == "ratio":
        return member.finding(
            "aasx/compression-ratio",
            f"The member decompresses to more than {limits.max_ratio} times its compressed "
            "size (a zip bomb?); reading stopped.",
        )
    if total:
        return member.finding(
            "aasx/package-too-large",
            f"Reading the member took the package past {limits.max_total_size} "
            "uncompressed bytes; reading stopped.",
        )
    return member.finding(
        "aasx/member-too-large",
        f"The member decompresses to more than {limits.max_member_size} bytes; "
        "reading stopped.",
    )


def open_package(
    data: PackageSource, where: Where, limits: Limits
) -> tuple[ZipPackage | None, list[Finding]]:
    """Open an AASX package and check every member's header against the limits.

    Args:
        data: The package's bytes, or a seekable binary file: then only the central
            directory and the members that are read come into memory, so memory stays
            flat however large the package (its supplementary files) is.
        where: The input file.
        limits: The limits that apply.

    Returns:
        The package (``None`` when it cannot or must not be read further) and the
        findings so far (the same list as the package's ``findings``).
    """
    findings: list[Finding] = []
    declared = declared_entry_count(data)
    if declared is not None and declared > limits.max_members:
        findings.append(_too_many(where, declared, limits))
        return None, findings
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        findings.append(_not_a_zip(where, data, exc))
        return None, findings
    if len(infos) > limits.max_members:
        findings.append(_too_many(where, len(infos), limits))
        return None, findings
    package = ZipPackage(archive, where, limits, findings=findings)
    total = 0
    for info in infos:
        total += info.file_size
        _admit(package, info)
    if total > limits.max_total_size:
        findings.append(
            where.finding(
                "aasx/package-too-large",
                f"The members decompress to {total} bytes in total; the limit is "
                f"{limits.max_total_size}. The package was not read.",
            )
        )
        return None, findings
    return package, findings


def _not_a_zip(where: Where, data: PackageSource, exc: Exception) -> Finding:
    if _read_at(data, 0, 4) == b"PK\x03\x04":
        return where.finding(
            "aasx/corrupt-zip",
            f"The file starts like a zip archive but cannot be opened (truncated or "
            f"corrupt): {exc}.",
        )
    return where.finding(
        "aasx/not-a-zip",
        "The file is not a zip archive, so it is not an AASX package.",
    )


def _too_many(where: Where, count: int, limits: Limits) -> Finding:
    return where.finding(
        "aasx/too-many-members",
        f"The package has {count} members; the limit is {limits.max_members}. "
        "It was not read.",
    )


def _admit(package: ZipPackage, info: zipfile.ZipInfo) -> None:
    """Check one member's name and header; record it if it has a usable name."""
    name = info.filename
    member = Where(package.where.file, name)
    findings = package.findings
    reason = unsafe_name_reason(name)
    if reason is not None:
        findings.append(
            member.finding(
                "aasx/unsafe-member-name",
                f"The member name {name!r} {reason}; the member was not read.",
            )
        )
        return
    if info.is_dir():
        return
    if name in package.members:
        findings.append(
            member.finding(
                "aasx/duplicate-member",
                f"The package has more than one member named {name!r}; only the first "
                "was checked, and other tools may read another one.",
            )
        )
        return
    folded = package._folded.setdefault(name.casefold(), [])
    if folded:
        findings.append(
            member.finding(
                "aasx/duplicate-member",
                f"The member {name!r} differs from {folded[0]!r} only in case; OPC part "
                "names are compared case-insensitively, so the two are the same part.",
            )
        )
    folded.append(name)
    package.members[name] = info
    problem = _header_problem(member, info, package.limits)
    if problem is not None:
        findings.append(problem)
        package.refused.add(name)


def _header_problem(member: Where, info: zipfile.ZipInfo, limits: Limits) -> Finding | None:
    if info.flag_bits & 0x1:
        return member.finding(
            "aasx/unsupported-member", "The member is encrypted; it cannot be checked."
        )
    if info.compress_type not in _ALLOWED_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        return member.finding(
            "aasx/unsupported-member",
            f"The member is compressed with {method}; OPC packages may only use stored "
            "or deflate.",
        )
    if info.file_size > limits.max_member_size:
        return member.finding(
            "aasx/member-too-large",
            f"The member decompresses to {info.file_size} bytes; the limit is "
            f"{limits.max_member_size}. It was not read.",
        )
    if info.file_size > RATIO_GRACE and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        return member.finding(
            "aasx/compression-ratio",
            f"The member decompresses {ratio} times its compressed size "
            f"({info.compress_size} -> {info.file_size} bytes); the limit is "
            f"{limits.max_ratio}. It was not read (a zip bomb?).",
        )
    return None


def _rule(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "aasx")


E, W = Severity.ERROR, Severity.WARNING
_OPC = "Open Packaging Conventions (ECMA-376 Part 2)"

#: The rules of the zip level.
RULES: tuple[Rule, ...] = (
    _rule("aasx/not-a-zip", "The file is not a zip archive", E,
          f"An AASX package is a zip archive that follows the {_OPC}. These bytes are not "
          "a zip archive at all, so nothing in them can be checked.",
          "Check that the file really is an `.aasx` package (not a JSON or XML document, "
          "or another format, with the wrong extension); export it again."),
    _rule("aasx/corrupt-zip", "The zip archive or one of its members is corrupt", E,
          "The archive is truncated, or a member fails its CRC check or has a broken "
          "compressed stream. A download that stopped early is the usual cause. Nothing in "
          "a damaged member can be trusted, so it is not checked.",
          "Download or export the package again; `unzip -t FILE` names the damaged member."),
    _rule("aasx/unsupported-member", "A member is encrypted or uses a compression method "
          "OPC does not allow", E,
          f"The {_OPC} allow only the *stored* and *deflate* methods and no encryption. "
          "bzip2 and LZMA members are not even decompressed: a few bytes of them can "
          "expand into gigabytes before any size limit applies.",
          "Re-pack the package with deflate and without a password."),
    _rule("aasx/too-many-members", "The package has more members than the limit", E,
          "A package with a huge number of members can exhaust memory before any member "
          "is read, so it is refused as a whole.",
          "Raise `max-members` if the package is legitimate."),
    _rule("aasx/member-too-large", "A member decompresses to more than the limit", E,
          "Members above `max-member-size` are not read. The size is checked in the "
          "header and again while decompressing, so a header that lies does not help.",
          "Raise `max-member-size` if the member is legitimate."),
    _rule("aasx/package-too-large", "The package decompresses to more than the limit", E,
          "The uncompressed sizes of all members add up to more than `max-total-size`.",
          "Raise `max-total-size` if the package is legitimate."),
    _rule("aasx/compression-ratio", "A member is compressed suspiciously well (zip bomb)", E,
          "A member larger than 1 MiB decompresses to more than `max-ratio` times its "
          "compressed size. Real AAS content compresses 5-30 times; a zip bomb expands a "
          "few kilobytes into gigabytes. The member is not read.",
          "Raise `max-ratio` if the member is legitimate (very repetitive data)."),
    _rule("aasx/unsafe-member-name", "A member name is absolute or escapes the package", E,
          "Names with `..` segments, a leading `/`, a drive letter (`C:`) or backslashes "
          "write outside the target folder when the package is extracted (zip slip), and "
          f"are not valid part names under the {_OPC}. The member is not read.",
          "Store members under relative names with forward slashes, e.g. `aasx/data.xml`."),
    _rule("aasx/duplicate-member", "Two members have the same name", E,
          "Two members with the same name, or names that differ only in case (OPC compares "
          "part names case-insensitively), make the package ambiguous: different tools "
          "read different content.",
          "Remove the duplicate member; rename one of two members that differ only in case."),
)
