"""Demonyms and adjectives of countries: "Russian" names Russia, "Uzbek" Uzbekistan.

A demonym is an alias of its country: `mentions.Vocabulary` adds these to every entity
whose name or alias is the country's name, so a base needs no hand-typed "Uzbek" alias.
One line per country: its names (first the common English one), then its demonyms and
adjectives with their plurals. Forms shared by two countries ("Congolese") are left out,
since they would name neither for sure.
"""

from __future__ import annotations

from functools import lru_cache

_TABLE = """
Afghanistan | Afghan, Afghans, Afghani
Albania | Albanian, Albanians
Algeria | Algerian, Algerians
Argentina | Argentine, Argentinian, Argentinians, Argentines
Armenia | Armenian, Armenians
Australia | Australian, Australians
Austria | Austrian, Austrians
Azerbaijan | Azerbaijani, Azerbaijanis, Azeri, Azeris
Bangladesh | Bangladeshi, Bangladeshis
Belarus | Belarusian, Belarusians, Belarussian, Byelorussian
Belgium | Belgian, Belgians
Bolivia | Bolivian, Bolivians
Bosnia and Herzegovina; Bosnia | Bosnian, Bosnians
Brazil | Brazilian, Brazilians
Bulgaria | Bulgarian, Bulgarians
Cambodia | Cambodian, Cambodians
Canada | Canadian, Canadians
Chile | Chilean, Chileans
China; People's Republic of China | Chinese
Colombia | Colombian, Colombians
Croatia | Croatian, Croatians, Croat, Croats
Cuba | Cuban, Cubans
Cyprus | Cypriot, Cypriots
Czech Republic; Czechia | Czech, Czechs
Denmark | Danish, Dane, Danes
Egypt | Egyptian, Egyptians
Estonia | Estonian, Estonians
Ethiopia | Ethiopian, Ethiopians
Finland | Finnish, Finn, Finns
France | French, Frenchman, Frenchmen
Georgia | Georgian, Georgians
Germany | German, Germans
Greece | Greek, Greeks
Hungary | Hungarian, Hungarians
Iceland | Icelandic, Icelander, Icelanders
India | Indian, Indians
Indonesia | Indonesian, Indonesians
Iran | Iranian, Iranians
Iraq | Iraqi, Iraqis
Ireland | Irish
Israel | Israeli, Israelis
Italy | Italian, Italians
Japan | Japanese
Jordan | Jordanian, Jordanians
Kazakhstan | Kazakh, Kazakhs, Kazakhstani, Kazakhstanis
Kenya | Kenyan, Kenyans
North Korea | North Korean, North Koreans
South Korea | South Korean, South Koreans
Kosovo | Kosovar, Kosovars
Kuwait | Kuwaiti, Kuwaitis
Kyrgyzstan; Kirghizia | Kyrgyz, Kirghiz, Kyrgyzstani
Laos | Lao, Laotian, Laotians
Latvia | Latvian, Latvians
Lebanon | Lebanese
Libya | Libyan, Libyans
Lithuania | Lithuanian, Lithuanians
Malaysia | Malaysian, Malaysians
Mexico | Mexican, Mexicans
Moldova | Moldovan, Moldovans
Mongolia | Mongolian, Mongolians, Mongol, Mongols
Morocco | Moroccan, Moroccans
Nepal | Nepalese, Nepali
Netherlands; Holland | Dutch, Dutchman, Dutchmen
New Zealand | New Zealander, New Zealanders
Nigeria | Nigerian, Nigerians
Norway | Norwegian, Norwegians
Pakistan | Pakistani, Pakistanis
Peru | Peruvian, Peruvians
Philippines | Filipino, Filipinos, Philippine
Poland | Polish, Pole, Poles
Portugal | Portuguese
Qatar | Qatari, Qataris
Romania | Romanian, Romanians
Russia; Russian Federation | Russian, Russians
Saudi Arabia | Saudi, Saudis, Saudi Arabian
Serbia | Serbian, Serbians, Serb, Serbs
Slovakia | Slovak, Slovaks, Slovakian
Slovenia | Slovenian, Slovenians, Slovene, Slovenes
South Africa | South African, South Africans
Spain | Spanish, Spaniard, Spaniards
Sri Lanka | Sri Lankan, Sri Lankans
Sweden | Swedish, Swede, Swedes
Switzerland | Swiss
Syria | Syrian, Syrians
Taiwan | Taiwanese
Tajikistan | Tajik, Tajiks, Tadjik, Tajikistani
Thailand | Thai, Thais
Tunisia | Tunisian, Tunisians
Turkey; Türkiye | Turkish, Turk, Turks
Turkmenistan | Turkmen, Turkmens, Turkmenistani
Ukraine | Ukrainian, Ukrainians
United Arab Emirates; UAE | Emirati, Emiratis
United Kingdom; UK; Britain; Great Britain | British, Briton, Britons
United States; United States of America; USA; US; America | American, Americans
Uzbekistan | Uzbek, Uzbeks, Uzbekistani, Uzbekistanis
Venezuela | Venezuelan, Venezuelans
Vietnam; Viet Nam | Vietnamese
Yemen | Yemeni, Yemenis
"""


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, ...]]:
    """Case-folded country name (every listed name) → the country's demonyms."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _TABLE.strip().splitlines():
        names, forms = line.split("|")
        words = tuple(form.strip() for form in forms.split(","))
        for name in names.split(";"):
            table[name.strip().casefold()] = words
    return table


@lru_cache(maxsize=1)
def country_of_demonym() -> dict[str, tuple[str, ...]]:
    """Case-folded demonym → the country's names ("uzbek" → ("Uzbekistan",))."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _TABLE.strip().splitlines():
        names, forms = line.split("|")
        countries = tuple(name.strip() for name in names.split(";"))
        for form in forms.split(","):
            table[form.strip().casefold()] = countries
    return table
