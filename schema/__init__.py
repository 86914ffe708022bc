"""Record schema of MM-LLMs Atlas: pydantic models, vocabularies and strict loading."""
from .catalogue import Catalogue, load_catalogue
from .loader import Problem
from .model import ModelRecord, io_notation, parse_io_notation

__all__ = ["Catalogue", "ModelRecord", "Problem", "io_notation", "load_catalogue", "parse_io_notation"]
