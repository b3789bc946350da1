from django.urls import path

from sylva.exchange.views import animator, board, exchanges, fairs, introductions, postings

app_name = "exchange"

urlpatterns = [
    path("", board.board, name="board"),
    path("mine/", board.mine, name="mine"),
    path("offers/new/", board.new_offer, name="new_offer"),
    path("requests/new/", board.new_request, name="new_request"),
    path("offers/<int:pk>/", postings.offer_detail, name="offer"),
    path("requests/<int:pk>/", postings.request_detail, name="request"),
    path("offers/<int:pk>/edit/", board.edit_offer, name="edit_offer"),
    path("requests/<int:pk>/edit/", board.edit_request, name="edit_request"),
    path("<str:kind>s/<int:pk>/state/", board.set_state, name="set_state"),
    path("<str:kind>s/<int:pk>/propose/", postings.propose, name="propose"),
    path("propose/", introductions.propose_to, name="propose_to"),
    path("x/<int:pk>/", exchanges.detail, name="exchange"),
    path("x/<int:pk>/accept/", exchanges.accept, name="accept"),
    path("x/<int:pk>/decline/", exchanges.decline, name="decline"),
    path("x/<int:pk>/wait/", exchanges.wait, name="wait"),
    path("x/<int:pk>/propose-instead/", exchanges.propose_instead, name="propose_instead"),
    path("x/<int:pk>/schedule/", exchanges.schedule, name="schedule"),
    path("x/<int:pk>/confirm/", exchanges.confirm, name="confirm"),
    path("x/<int:pk>/held/", exchanges.held, name="held"),
    path("x/<int:pk>/no-show/", exchanges.no_show, name="no_show"),
    path("x/<int:pk>/cancel/", exchanges.cancel, name="cancel"),
    path("x/<int:pk>/review/", exchanges.review, name="review"),
    path("x/<int:pk>/message/", exchanges.message, name="message"),
    path("x/<int:pk>/invite.ics", exchanges.ics, name="ics"),
    path("runs/", animator.runs, name="runs"),
    path("runs/start/", animator.start_run, name="start_run"),
    path("runs/<int:pk>/", animator.run_detail, name="run"),
    path("runs/<int:pk>/send/", animator.send_run, name="send_run"),
    path("proposals/<int:pk>/", animator.review_proposal, name="review_proposal"),
    path("fairs/", fairs.fairs, name="fairs"),
    path("fairs/<int:pk>/", fairs.fair, name="fair"),
    path("fairs/<int:pk>/live/", fairs.fair_live, name="fair_live"),
    path("fairs/<int:pk>/post/<str:kind>/", fairs.fair_post, name="fair_post"),
    path("fairs/<int:pk>/match/", fairs.fair_match, name="fair_match"),
    path("fairs/<int:pk>/pair/", fairs.fair_pair, name="fair_pair"),
    path("fairs/<int:pk>/close/", fairs.fair_close, name="fair_close"),
]
