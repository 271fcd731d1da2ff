"""The sales ladder board: the board, a column's next cards, a card's move."""

from django.urls import path

from kontora.pipeline import views

app_name = "pipeline"
urlpatterns: list = [
    path("board/", views.board, name="board"),
    path("board/column/", views.column, name="column"),
    path("board/move/", views.move, name="move"),
]
