from django import template

from ..services.rendering import block_text as _block_text

register = template.Library()


@register.simple_tag
def block_text(block) -> str:
    return _block_text(block)
