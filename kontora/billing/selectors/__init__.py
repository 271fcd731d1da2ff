"""Billing's reads and pure calculations: invoice amounts, VAT rates in force, sums in words, the payment QR code,
bank statements read from 1C exchange files."""
