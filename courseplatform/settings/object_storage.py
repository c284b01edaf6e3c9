"""``STORAGES`` for an S3-compatible object store (django-storages), one bucket, a prefix per alias."""


def s3_storages(bucket: str, *, endpoint_url: str | None = None, region_name: str | None = None,
                custom_domain: str | None = None, media_prefix: str = "media", querystring_auth: bool = True,
                private_expire: int = 60) -> dict:
    """``default`` (public media, behind ``custom_domain`` when a CDN serves it), ``private`` (lesson media,
    exports: presigned URLs valid ``private_expire`` seconds) and ``artifacts`` (trained models).

    Credentials come from boto3's chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, an instance role, ...).
    Objects get no ACL: the bucket's policy decides, private unless it says otherwise.
    """
    common = {"bucket_name": bucket, "endpoint_url": endpoint_url, "region_name": region_name, "default_acl": None,
              "file_overwrite": False, "signature_version": "s3v4"}
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**common, "location": media_prefix, "custom_domain": custom_domain,
                                                    "querystring_auth": querystring_auth}},
        "private": {"BACKEND": backend, "OPTIONS": {**common, "location": "private", "querystring_auth": True,
                                                    "querystring_expire": private_expire}},
        "artifacts": {"BACKEND": backend, "OPTIONS": {**common, "location": "artifacts", "querystring_auth": True}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
