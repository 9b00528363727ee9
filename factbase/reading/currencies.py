"""ISO 4217 currencies as people write them: "euros", "EUR", "€" are one unit.

One line per currency: the code, then the symbols and names it is written with (plurals
included). Names that are also common English words ("won", "sum", "real") are listed
only with their country ("South Korean won"), so "he won 3 seats" names no currency.
"""

from __future__ import annotations

from functools import lru_cache

_TABLE = """
EUR | €, euro, euros, Euro, Euros
USD | $, US$, U.S.$, dollar, dollars, US dollar, US dollars, U.S. dollar, U.S. dollars
USD | American dollar, American dollars
GBP | £, pound, pounds, pound sterling, pounds sterling, sterling, British pounds
JPY | ¥, yen, Japanese yen
CNY | yuan, renminbi, Chinese yuan
RUB | ₽, rouble, roubles, ruble, rubles, Russian roubles, Russian rubles
UZS | soum, soums, som, Uzbek sum, Uzbek sums, Uzbek soum, Uzbek soums
KZT | ₸, tenge
KGS | Kyrgyz som, Kyrgyz soms
TJS | somoni
TMT | manat, manats, Turkmen manat
AZN | Azerbaijani manat
GEL | lari
AMD | dram, drams
BYN | Belarusian ruble, Belarusian rubles
UAH | ₴, hryvnia, hryvnias, hryvnya
CHF | Swiss franc, Swiss francs
INR | ₹, Indian rupee, Indian rupees
PKR | Pakistani rupee, Pakistani rupees
KRW | ₩, South Korean won
TRY | ₺, Turkish lira, Turkish liras
PLN | zloty, zlotys, złoty
SEK | Swedish krona, Swedish kronor
NOK | Norwegian krone, Norwegian kroner
DKK | Danish krone, Danish kroner
CAD | C$, Canadian dollar, Canadian dollars
AUD | A$, Australian dollar, Australian dollars
BRL | R$, Brazilian real, Brazilian reais
MXN | Mexican peso, Mexican pesos
ZAR | rand, South African rand
AFN | afghani, afghanis
IRR | rial, rials, Iranian rial, Iranian rials
"""


@lru_cache(maxsize=1)
def currencies() -> dict[str, str]:
    """Every spelling (case-folded; the code itself included) → its ISO 4217 code."""
    table: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        code, names = (part.strip() for part in line.split("|"))  # a code may have 2 lines
        table[code.casefold()] = code
        for name in names.split(","):
            table[name.strip().casefold()] = code
    return table


def currency(text: str) -> str | None:
    """The ISO code *text* names ("euros" → "EUR", "US$" → "USD"), or None."""
    return currencies().get(" ".join(text.split()).casefold())
