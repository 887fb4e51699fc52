"""Figures of every exercise, drawn by the software: a small body model posed by joint angles,
key poses per exercise, checks that each pose is humanly possible, and SVG rendering."""
