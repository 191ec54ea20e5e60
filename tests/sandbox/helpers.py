from __future__ import annotations

import io

import requests
import tweepy
from PIL import Image

from brandkit.sandbox import Sandbox


def tweepy_api(sandbox: Sandbox, creds: dict[str, str]) -> tweepy.API:
    auth = tweepy.OAuth1UserHandler(
        creds["consumer_key"],
        creds["consumer_secret"],
        creds["access_token"],
        creds["access_token_secret"],
    )
    api = tweepy.API(auth, host=sandbox.host, upload_host=sandbox.host)
    # REQUESTS_CA_BUNDLE would override session.verify (docs/platforms.md, Twitter/X): turn the
    # environment off
    api.session.verify = str(sandbox.ca_path)
    api.session.trust_env = False
    return api


def session(sandbox: Sandbox) -> requests.Session:
    s = requests.Session()
    s.verify = str(sandbox.ca_path)
    s.trust_env = False
    return s


def png(
    size: tuple[int, int], colour: tuple[int, int, int] = (200, 30, 30), noise: bool = False
) -> bytes:
    img = Image.effect_noise(size, 90).convert("RGB") if noise else Image.new("RGB", size, colour)
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=0 if noise else 6)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img
