"""Second factor on django-otp: TOTP devices for every staff account, recovery codes as backup."""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify

import segno
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbeeld.accounts.models import User

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"


def is_verified(user: object) -> bool:
    """Whether this session passed the second factor (django-otp's OTPMiddleware sets it)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_confirmed_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled; created on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for this device."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def totp_secret_base32(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no external service, no inline script)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, dark="#1b1b1b", light="#ffffff")
    return svg


def new_recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits; ten single-use codes
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_replace(user: User) -> list[str]:
    """Issue a fresh set of single-use recovery codes; the old set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_reset(user: User) -> None:
    """Remove all devices: the user enrols again at the next login (administrator action)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
