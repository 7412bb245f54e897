/* seed_data.c: the demo community, in Dutch (Nederland and Vlaanderen).
 * Topic 1 is the blog post about the study day of 25 November in Grimbergen
 * (../shared/seed/ambtenaar-2.0-blogpost.txt, in Markdown); topic 2 holds the
 * study day as an event. The members are invented. seed.c loads this. */
#include <stddef.h>

#include "ambtd/seed.h"

const struct seed_user seed_users[] = {
    {
        .username = "annelies",
        .name = "Annelies de Vries",
        .title = "Communitymanager",
        .bio =
            "Ik breng ambtenaren uit Nederland en Vlaanderen samen rond sociale"
            " media, open data en een open overheid. Vragen over het forum? "
            "Stuur me gerust een bericht.",
        .location = "Utrecht",
        .website = "https://ambtenaar20.example.org",
        .organisation = "Stichting Ambtenaar 2.0",
        .created = "2025-09-01 09:00",
        .trust_level = 4,
        .admin = true,
        .moderator = true,
        .profile_views = 312,
    },
    {
        .username = "demo",
        .name = "Demo Ambtenaar",
        .title = "Beleidsmedewerker digitale dienstverlening",
        .bio = "Ik werk aan betere online dienstverlening voor inwoners en "
               "ondernemers. Met dit account kun je het forum verkennen.",
        .location = "Den Haag",
        .organisation = "Gemeente Den Haag",
        .created = "2025-10-14 10:30",
        .trust_level = 2,
        .profile_views = 58,
    },
    {
        .username = "pieterjan",
        .name = "Pieter-Jan Claes",
        .title = "Webredacteur",
        .bio =
            "Webredacteur bij de stad Gent. Schrijft graag helder, houdt van "
            "toegankelijke websites en fietst elke dag naar het werk.",
        .location = "Gent",
        .organisation = "Stad Gent",
        .created = "2025-10-02 14:20",
        .trust_level = 3,
        .profile_views = 97,
    },
    {
        .username = "els",
        .name = "Els Vermeulen",
        .title = "Communicatieadviseur",
        .bio = "Communicatieadviseur bij de provincie. Ik schrijf over "
               "overheidscommunicatie, sociale media en de studiedagen die ik "
               "bijwoon.",
        .location = "Leuven",
        .website = "https://els-schrijft.example.be",
        .organisation = "Provincie Vlaams-Brabant",
        .created = "2025-09-15 08:45",
        .trust_level = 3,
        .profile_views = 141,
    },
    {
        .username = "maarten",
        .name = "Maarten Bakker",
        .title = "Coördinator open data",
        .bio =
            "Ik help teams hun data open te zetten: van een lijst met "
            "speeltuinen tot realtime parkeerdata. Liefst machineleesbaar en "
            "met een open licentie.",
        .location = "Amsterdam",
        .organisation = "Gemeente Amsterdam",
        .created = "2025-09-20 11:10",
        .trust_level = 3,
        .moderator = true,
        .profile_views = 176,
    },
    {
        .username = "sanne",
        .name = "Sanne Jansen",
        .title = "Adviseur sociale media",
        .bio = "Adviseur sociale media bij de provincie Overijssel. Bezig met "
               "webcare, een socialemediabeleid en trainingen voor collega's.",
        .location = "Zwolle",
        .organisation = "Provincie Overijssel",
        .created = "2025-11-03 16:00",
        .trust_level = 2,
        .profile_views = 64,
    },
    {
        .username = "wouter",
        .name = "Wouter Peeters",
        .title = "Projectleider digitale overheid",
        .bio =
            "Projectleider bij de Vlaamse overheid. Lid van het kernteam van "
            "Ambtenaar 2.0 en mee-organisator van de studiedag.",
        .location = "Brussel",
        .organisation = "Vlaamse overheid, Digitaal Vlaanderen",
        .created = "2025-09-05 09:30",
        .trust_level = 3,
        .profile_views = 88,
    },
    {
        .username = "fatima",
        .name = "Fatima El Amrani",
        .title = "Data-analist",
        .bio = "Data-analist bij de gemeente Rotterdam. Ik maak dashboards en "
               "publiceer datasets over de buitenruimte.",
        .location = "Rotterdam",
        .organisation = "Gemeente Rotterdam",
        .created = "2026-02-11 13:15",
        .trust_level = 2,
        .profile_views = 45,
    },
    {
        .username = "koen",
        .name = "Koen De Smet",
        .title = "Woordvoerder",
        .bio = "Woordvoerder van de stad Antwerpen. Crisiscommunicatie, "
               "persrelaties en af en toe een filmpje voor Instagram.",
        .location = "Antwerpen",
        .organisation = "Stad Antwerpen",
        .created = "2026-03-02 10:00",
        .trust_level = 2,
        .profile_views = 51,
    },
    {
        .username = "marieke",
        .name = "Marieke van Dijk",
        .title = "Informatiebeheerder",
        .bio =
            "Informatiebeheerder bij een waterschap in het noorden. Archieven, "
            "metadata en de Wet open overheid zijn mijn dagelijkse kost.",
        .location = "Groningen",
        .organisation = "Waterschap Noorderzijlvest",
        .created = "2026-04-22 15:40",
        .trust_level = 1,
        .profile_views = 23,
    },
    {
        .username = "joris",
        .name = "Joris Maes",
        .title = "Innovatiemanager",
        .bio =
            "Innovatiemanager bij de stad Mechelen. Experimenteert graag met "
            "nieuwe vormen van participatie.",
        .location = "Mechelen",
        .organisation = "Stad Mechelen",
        .created = "2026-06-08 09:05",
        .trust_level = 1,
        .profile_views = 12,
    },
    {0},
};

const struct seed_group_member seed_group_members[] = {
    {"kernteam", "annelies"},
    {"kernteam", "wouter"},
    {"kernteam", "maarten"},
    {"kernteam", "demo"},
    {0},
};

const struct seed_category seed_categories[] = {
    {
        .name = "Sociale media",
        .slug = "sociale-media",
        .color = "0088CC",
        .text_color = "FFFFFF",
        .description =
            "Twitter, LinkedIn, Facebook, Instagram en co: hoe zet de overheid "
            "sociale media in voor communicatie, dienstverlening en "
            "participatie?",
    },
    {
        .name = "Open data",
        .slug = "open-data",
        .color = "27AE60",
        .text_color = "FFFFFF",
        .description =
            "Datasets ontsluiten, licenties, API's en hergebruik: alles over "
            "open overheidsdata.",
    },
    {
        .name = "Evenementen",
        .slug = "evenementen",
        .color = "F7941D",
        .text_color = "FFFFFF",
        .description =
            "Studiedagen, meetups en webinars voor ambtenaren 2.0, met datum, "
            "plaats en inschrijving.",
    },
    {
        .name = "Over Ambtenaar 2.0",
        .slug = "over-ambtenaar-2-0",
        .color = "808281",
        .text_color = "FFFFFF",
        .description =
            "Over deze community: spelregels, voorstellen en feedback op het "
            "forum.",
    },
    {
        .name = "Kernteam",
        .slug = "kernteam",
        .color = "652D90",
        .text_color = "FFFFFF",
        .description =
            "Besloten categorie voor het kernteam: planning, sprekers en "
            "budget.",
        .read_group = "kernteam",
    },
    {0},
};

const struct seed_badge seed_badges[] = {
    {"Basisgebruiker", "Heeft de basisfuncties van het forum ontgrendeld."},
    {"Eerste like", "Heeft voor het eerst een bericht leuk gevonden."},
    {"Eerste reactie", "Heeft voor het eerst op een onderwerp gereageerd."},
    {"Studiedag 2026",
     "Was erbij op de studiedag in Grimbergen op 25 november 2026."},
    {"Open-datapionier",
     "Heeft een eerste open dataset met de community gedeeld."},
    {0},
};

const struct seed_user_badge seed_user_badges[] = {
    {"demo", "Basisgebruiker", "2025-10-20 12:00"},
    {"demo", "Eerste like", "2025-10-21 09:00"},
    {"demo", "Studiedag 2026", "2026-11-25 17:30"},
    {"els", "Basisgebruiker", "2025-09-20 10:00"},
    {"els", "Studiedag 2026", "2026-11-25 17:30"},
    {"pieterjan", "Eerste reactie", "2025-10-03 08:00"},
    {"pieterjan", "Studiedag 2026", "2026-11-25 17:30"},
    {"maarten", "Open-datapionier", "2025-10-10 14:00"},
    {"fatima", "Open-datapionier", "2026-11-03 16:00"},
    {"koen", "Studiedag 2026", "2026-11-25 17:30"},
    {"wouter", "Studiedag 2026", "2026-11-25 17:30"},
    {"annelies", "Basisgebruiker", "2025-09-02 09:00"},
    {0},
};

static const struct seed_post topic1_posts[] = {
    {
        .username = "els",
        .created = "2026-11-26 09:12",
        .likers = "pieterjan maarten sanne demo wouter koen annelies",
        .raw =
            "*Samen werken aan overheid 2.0*\n"
            "\n"
            "Op 25 november werd in Grimbergen (bij Brussel) onder de noemer "
            "*Ambtenaar 2.0: bent u al mee in de genetwerkte samenleving?* een "
            "studiedag georganiseerd voor Nederlandstalige ambtenaren van alle "
            "bestuursniveaus in België (federale overheid, Vlaamse overheid, "
            "provincies en gemeenten). In de voormiddag vond een plenaire "
            "bijeenkomst plaats waarbij enkele theoretische concepten werden "
            "belicht. Sprekers waren Jo Steyaert van Indigov en Tom van den "
            "Bergh en Dieter Van Esch van de RCA Groep. In de namiddag vonden "
            "workshops plaats, o.a. 'Verbeter uw interne werking met sociale "
            "media', 'Het extern toepassen van sociale media door de overheid' "
            "(Bart Van Herreweghe - Kanselarij van de eerste minister) en "
            "'Intern toepassen van sociale media bij SELOR' (Stefanie Billiet -"
            " agentschap voor de werving van nieuw overheidspersoneel).\n"
            "\n"
            "In deze blogbijdrage geef ik de belangrijkste inzichten mee uit de"
            " presentatie van Jo Steyaert.\n"
            "\n"
            "## Trends in online overheidscommunicatie en sociale media\n"
            "\n"
            "Web 1.0 bij overheden draait om het klassieke concept van een "
            "portaalsite. Alle informatie wordt gebundeld op één website. "
            "Redacteurs brengen een structuur aan en maken taxonomieën, zodat "
            "alle informatie op een voor de organisatie heldere manier kan "
            "worden opgeladen en ontsloten. Klassiek is ook de "
            "\"levenscyclusbenadering\", waarbij de burger in een schema - van "
            "geboorte tot overlijden en alles daartussen - alle 'noodzakelijke'"
            " informatie en toepassingen door de overheid krijgt aangereikt.\n"
            "\n"
            "De inbreng van de burger en de gebruiksvriendelijkheid van "
            "dergelijke websites 1.0 zijn ver te zoeken.\n"
            "\n"
            "De belangrijkste knelpunten zijn:\n"
            "\n"
            "- Structuur en inhoud zijn gebaseerd op een "
            "'top-down'-paradigma.\n"
            "- De nadruk ligt op grote gebeurtenissen, die echter weinig "
            "frequent voorkomen (geen continuïteit in de communicatie met de "
            "burger).\n"
            "- Gebrek aan flexibiliteit van overheidszijde en geen persoonlijke"
            " benadering van klanten.\n"
            "- De inhoud sluit niet aan bij de werkelijke noden en behoeften "
            "van burgers, bij de denkwijze over gewenste informatie op internet"
            " en bij het zoekgedrag van burgers.\n"
            "\n"
            "Er is duidelijk nood aan complementaire modellen die op een goede "
            "manier gebruikmaken van een web 2.0-context.\n"
            "\n"
            "De evolutie van overheid 1.0 naar overheid 2.0 is een evolutie van"
            " een monolithische, top-down dienstverlening naar een meer "
            "collaboratieve, interactieve, open en flexibele manier van "
            "dienstverlening. De overheid moet web 2.0-concepten en "
            "-toepassingen gaan inzetten en zich openstellen voor samenwerking "
            "en interactie met de burger.\n"
            "\n"
            "Welke implicaties heeft een dergelijke paradigmaverandering? Een "
            "overheid 2.0 vereist:\n"
            "\n"
            "- Een dynamische, bottom-up benadering (user generated content: "
            "niet enkel lezen maar ook schrijven)\n"
            "- Meer sociale contacten via netwerken\n"
            "- Dienstverlening via meerdere kanalen\n"
            "- Samenwerken en participeren: de gebruiker wordt bij de "
            "organisatie van de dienstverlening betrokken\n"
            "- Transparantie en verantwoordelijkheid\n"
            "- Een efficiënt gebruik van openbare informatie\n"
            "- Stroomlijning van interne processen bij de overheid\n"
            "\n"
            "Webapplicaties van overheden, gebaseerd op web 2.0:\n"
            "\n"
            "- maken het mogelijk dat gebruikers op een intuïtieve manier de "
            "dienstverlening door overheden gaan gebruiken in het dagelijks "
            "leven;\n"
            "- maken het mogelijk dat openbare dienstverlening tegemoetkomt aan"
            " de hoge kwaliteitseisen en verwachtingen die burgers hebben door "
            "het gebruik van private web 2.0-toepassingen;\n"
            "- betrekken hoofdgebruikers van hun diensten bij de creatie van "
            "interactieve en transactionele diensten, helpen hen tijd besparen "
            "en voorzien in flexibiliteit, verbondenheid en controle.\n"
            "\n"
            "## Voordelen van een 'samenwerkende' overheid 2.0\n"
            "\n"
            "- De kwaliteit van de dienstverlening verhogen door een "
            "gebruikersgerichte benadering\n"
            "- Het engagement van burgers en hun deelname aan maatschappelijke "
            "projecten verhogen\n"
            "- De interne werking, kennisdeling en samenwerking versterken\n"
            "- De openheid, transparantie en aansprakelijkheid van de overheid "
            "verhogen\n"
            "- Economische opportuniteiten creëren voor private actoren\n"
            "\n"
            "## Welke impact heeft een web 2.0-overheid op de "
            "communicatiestrategie?\n"
            "\n"
            "Web 2.0-dienstverlening waarbij de zender nog altijd centraal "
            "staat:\n"
            "\n"
            "- **De burger informeren**: nog steeds web 1.0, maar met web "
            "2.0-toepassingen; de informatie wordt vlotter toegankelijk.\n"
            "- **Een verhoogd bewustzijn creëren**: gemakkelijker en eerlijker "
            "mensen overtuigen.\n"
            "- **De burger meer betrekken**: mensen stimuleren om te "
            "participeren.\n"
            "- **Crisiscommunicatie**: web 2.0-toepassingen laten een snelle en"
            " brede verspreiding van cruciale informatie toe.\n"
            "\n"
            "Web 2.0-communicatie waarbij alle gebruikers centraal staan:\n"
            "\n"
            "- **Interactie**: gebruikers en burgers genereren informatie, "
            "data, ideeën en voorstellen; gebruikers werken mee.\n"
            "- **Participatie**: gebruikers zijn centrale actoren en "
            "producenten.\n"
            "\n"
            "Ik heb twee dingen meegenomen uit het verhaal van Jo:\n"
            "\n"
            "1. Overheidsdiensten moeten hun databanken ontsluiten en "
            "webservices maken, zodat een burger zijn persoonlijke startpagina "
            "kan inrichten met onder meer de voor hem meest relevante "
            "webapplicaties van de overheid. Als de overheid haar databanken "
            "openstelt, zullen zowel bedrijven als gemotiveerde burgers met die"
            " data aan de slag gaan en er relevante applicaties voor "
            "ontwikkelen.\n"
            "2. Ambtenaren hebben de mond vol van sociale media, maar hebben - "
            "zo blijkt uit recent Vlaams onderzoek - weinig vertrouwen in het "
            "internet en in de communicatie via sociale media. Sommigen "
            "gebruiken sociale media voor privédoeleinden, maar doen "
            "onvoldoende om dit in hun werksituatie toe te passen. Er is nog "
            "een lange weg te gaan voor overheidscommunicatoren.\n"
            "\n"
            "## Overheidsdiensten moeten hun databanken ontsluiten\n"
            "\n"
            "De overheid beschikt over een schat aan data. Sommige gegevens "
            "worden ingezameld voor specifieke doeleinden en mogen om "
            "wettelijke redenen of om redenen van privacy niet vrijgegeven "
            "worden. Maar er zijn ook heel wat \"onschuldige\" data die "
            "ontsloten zouden moeten worden. Ongetwijfeld maken webfirma's of "
            "schrandere individuen daarmee zinvolle applicaties voor "
            "gebruikers, met een duidelijke meerwaarde. Maar "
            "overheidsagentschappen en -departementen zitten op hun data \"als "
            "een kip op haar gouden eieren\". Een gemiste kans.\n"
            "\n"
            "## Ambtenaren moeten dringend aan de slag met sociale media\n"
            "\n"
            "Er zijn al goede initiatieven, zowel in Nederland (Ambtenaar 2.0) "
            "als in Vlaanderen (Open Overheid Nu). Maar er kan nog veel meer "
            "gebeuren. Een eerste logische stap: probeer zelf, ga op onderzoek "
            "uit, maak een account, leer en observeer. Eens je sociale media "
            "hebt leren kennen en de nieuwe communicatietechnieken onder de "
            "knie hebt, kan je onderzoeken welke sociale media het waard zijn "
            "om voor de organisatie te volgen en te gebruiken.\n"
            "\n"
            "Het management staat hier ongetwijfeld zeer sceptisch tegenover: "
            "Waarvoor dient het? Wat is de meerwaarde? Wat kost het? Welke zijn"
            " de risico's? Het heeft weinig zin om als een \"evangelist\" "
            "binnen de organisatie de goede boodschap te gaan verkondigen. "
            "Beter kan je concrete zaken uitwerken, bijvoorbeeld een rapportje "
            "maken met relevante artikels over de organisatie uit blogs, "
            "Twitter, Facebook ... in geval van een crisis of een speciale "
            "actie (sociale media monitoren). Of je werkt aan een "
            "socialemediabeleid voor je organisatie.\n"
            "\n"
            "In elk geval heb je een plan nodig. Als je organisatie start met "
            "sociale media, moet je dit ernstig aanpakken, plannen, volhouden "
            "en opvolgen. Het is duidelijk dat daar mensen en middelen voor "
            "nodig zijn. De juiste mensen kunnen sociale media wel gericht "
            "inzetten in de strategische communicatie van de organisatie.",
    },
    {
        .username = "pieterjan",
        .created = "2026-11-26 11:40",
        .reply_to = 1,
        .likers = "els sanne",
        .raw =
            "Mooi verslag, @els! Ik zat zelf in de workshop over het extern "
            "toepassen van sociale media door de overheid. Wat me vooral is "
            "bijgebleven: begin klein, maar begin. Eén kanaal goed onderhouden "
            "is beter dan vijf accounts die stilvallen.",
    },
    {
        .username = "maarten",
        .created = "2026-11-26 14:05",
        .reply_to = 1,
        .likers = "demo fatima els",
        .raw =
            "[quote=\"els, post:1, topic:1\"]\n"
            "Overheidsdiensten moeten hun databanken ontsluiten en webservices "
            "maken, zodat een burger zijn persoonlijke startpagina kan "
            "inrichten.\n"
            "[/quote]\n"
            "\n"
            "Helemaal mee eens. Bij ons in Amsterdam zien we dat ontwikkelaars "
            "binnen een paar weken iets bouwen zodra een dataset er netjes "
            "staat, met een open licentie en een API. Wie hierover wil "
            "doorpraten: op 10 december organiseren we een open-datameetup in "
            "Utrecht, zie de categorie Open data.",
    },
    {
        .username = "demo",
        .created = "2026-11-26 20:30",
        .reply_to = 3,
        .likers = "maarten",
        .raw =
            "@maarten Hoe hebben jullie het management overtuigd? Bij ons is de"
            " eerste reactie altijd: wat als iemand de data verkeerd gebruikt?",
    },
    {
        .username = "maarten",
        .created = "2026-11-27 08:50",
        .reply_to = 4,
        .likers = "demo annelies",
        .raw =
            "[quote=\"demo, post:4, topic:1\"]\n"
            "Bij ons is de eerste reactie altijd: wat als iemand de data "
            "verkeerd gebruikt?\n"
            "[/quote]\n"
            "\n"
            "Die vraag kregen wij ook. Wat hielp: klein beginnen met data die "
            "toch al openbaar was (afvalkalender, speeltuinen, openingstijden) "
            "en na drie maanden laten zien wat ermee gebouwd was. Een pilot met"
            " een duidelijke einddatum is voor een directie veel minder eng dan"
            " een beleidsnota.",
    },
    {
        .username = "sanne",
        .created = "2026-11-27 10:20",
        .reply_to = 1,
        .likers = "els demo pieterjan",
        .raw =
            "[quote=\"els, post:1, topic:1\"]\n"
            "Of je werkt aan een socialemediabeleid voor je organisatie.\n"
            "[/quote]\n"
            "\n"
            "Dat is precies waar wij nu mee bezig zijn in Overijssel. @demo, "
            "jij zat toch ook in zo'n werkgroep bij jullie gemeente? Ik ben "
            "benieuwd hoe jullie de rol van de woordvoerders en de webcare "
            "hebben afgebakend.",
    },
    {
        .username = "els",
        .created = "2026-11-27 13:00",
        .reply_to = 6,
        .likers = "sanne",
        .raw =
            "Dank je, @sanne! Voor wie verder wil: in januari is er een webinar"
            " over een socialemediabeleid voor je organisatie. Ik zet het "
            "alvast in mijn agenda.",
    },
    {0},
};

static const struct seed_post topic2_posts[] = {
    {
        .username = "annelies",
        .created = "2026-10-01 10:00",
        .likers = "wouter els demo koen pieterjan",
        .raw =
            "Op woensdag 25 november organiseren we in Grimbergen (bij Brussel)"
            " de studiedag **Ambtenaar 2.0: bent u al mee in de genetwerkte "
            "samenleving?** voor Nederlandstalige ambtenaren van alle "
            "bestuursniveaus: federale overheid, Vlaamse overheid, provincies "
            "en gemeenten.\n"
            "\n"
            "[event start=\"2026-11-25 09:30\" end=\"2026-11-25 17:00\" "
            "timezone=\"Europe/Brussels\" status=\"public\" name=\"Studiedag "
            "Ambtenaar 2.0\" location=\"Grimbergen (bij Brussel)\"]\n"
            "Studiedag voor Nederlandstalige ambtenaren van alle "
            "bestuursniveaus: plenaire sessie in de voormiddag, workshops in de"
            " namiddag.\n"
            "[/event]\n"
            "\n"
            "## Programma\n"
            "\n"
            "**Voormiddag: plenaire sessie**\n"
            "\n"
            "- 09:30 Onthaal met koffie\n"
            "- 10:00 Trends in online overheidscommunicatie en sociale media\n"
            "- 11:00 Van overheid 1.0 naar overheid 2.0: wat betekent dat voor "
            "uw organisatie?\n"
            "- 12:30 Lunch\n"
            "\n"
            "**Namiddag: workshops**\n"
            "\n"
            "1. Verbeter uw interne werking met sociale media\n"
            "2. Het extern toepassen van sociale media door de overheid\n"
            "3. Intern toepassen van sociale media bij SELOR\n"
            "\n"
            "We sluiten om 17:00 af met een drankje. Laat hieronder weten of je"
            " komt via de knop *Ik ga*.",
    },
    {
        .username = "wouter",
        .created = "2026-10-02 08:15",
        .reply_to = 1,
        .likers = "annelies",
        .raw = "Ingeschreven! Fijn dat er deze keer ook een workshop over de "
               "interne werking is: daar valt bij de meeste diensten nog het "
               "meeste te winnen.",
    },
    {
        .username = "demo",
        .created = "2026-10-05 12:40",
        .reply_to = 1,
        .raw =
            "Is de locatie vlot bereikbaar met het openbaar vervoer? Ik kom uit"
            " Den Haag en laat de auto liever staan.",
    },
    {
        .username = "annelies",
        .created = "2026-10-05 15:05",
        .reply_to = 3,
        .likers = "demo",
        .raw =
            "[quote=\"demo, post:3, topic:2\"]\n"
            "Is de locatie vlot bereikbaar met het openbaar vervoer?\n"
            "[/quote]\n"
            "\n"
            "Jazeker. Neem de trein naar Brussel-Noord of Vilvoorde; vanaf het "
            "station van Vilvoorde rijdt 's ochtends een pendelbus naar de "
            "zaal. Wie met de auto komt, kan gratis parkeren.",
    },
    {
        .username = "koen",
        .created = "2026-11-25 18:10",
        .reply_to = 1,
        .likers = "annelies wouter",
        .raw =
            "Wat een boeiende dag! Vooral de workshop over het extern toepassen"
            " van sociale media zette me aan het denken. Komen de presentaties "
            "hier online?",
    },
    {
        .username = "annelies",
        .created = "2026-11-26 09:30",
        .reply_to = 5,
        .likers = "koen els",
        .raw =
            "@koen De presentaties volgen deze week. @els schreef intussen al "
            "een uitgebreid verslag van de plenaire sessie: [Ambtenaar 2.0: "
            "bent u al mee in de genetwerkte "
            "samenleving?](/t/"
            "ambtenaar-2-0-bent-u-al-mee-in-de-genetwerkte-samenleving/1)",
    },
    {0},
};

static const struct seed_post topic3_posts[] = {
    {
        .username = "maarten",
        .created = "2026-11-10 09:00",
        .likers = "fatima marieke demo wouter",
        .raw =
            "Op donderdagavond 10 december houden we in Utrecht een meetup over"
            " het ontsluiten van gemeentelijke datasets. Drie gemeenten "
            "vertellen hoe ze begonnen, wat misging en wat ze de volgende keer "
            "anders zouden doen.\n"
            "\n"
            "[event start=\"2026-12-10 18:30\" end=\"2026-12-10 21:00\" "
            "timezone=\"Europe/Amsterdam\" status=\"public\" "
            "name=\"Open-datameetup Utrecht\" location=\"Stadskantoor Utrecht, "
            "zaal 4.12\"]\n"
            "Praktijkverhalen over het publiceren van gemeentelijke datasets, "
            "met soep en broodjes vooraf.\n"
            "[/event]\n"
            "\n"
            "Onderwerpen:\n"
            "\n"
            "- Welke licentie kies je (CC0 of CC BY)?\n"
            "- Een API of gewoon een CSV-bestand?\n"
            "- Hoe houd je een dataset actueel als de collega die hem maakte "
            "vertrekt?\n"
            "\n"
            "Er is plaats voor veertig deelnemers.",
    },
    {
        .username = "fatima",
        .created = "2026-11-10 13:25",
        .reply_to = 1,
        .likers = "maarten",
        .raw =
            "Ik kom! Als er nog ruimte is, vertel ik graag tien minuten over "
            "onze ervaringen met de API voor meldingen openbare ruimte in "
            "Rotterdam.",
    },
    {
        .username = "marieke",
        .created = "2026-11-11 10:02",
        .reply_to = 1,
        .raw =
            "Komt er een livestream of een opname? Groningen is net iets te ver"
            " voor een doordeweekse avond.",
    },
    {
        .username = "maarten",
        .created = "2026-11-11 11:45",
        .reply_to = 3,
        .likers = "marieke",
        .raw = "[quote=\"marieke, post:3, topic:3\"]\n"
               "Komt er een livestream of een opname?\n"
               "[/quote]\n"
               "\n"
               "We nemen de presentaties op en zetten ze achteraf in dit "
               "onderwerp. @fatima, je bent van harte welkom: ik zet je op het "
               "programma.",
    },
    {0},
};

static const struct seed_post topic4_posts[] = {
    {
        .username = "sanne",
        .created = "2026-11-20 14:00",
        .likers = "els demo",
        .raw =
            "Veel organisaties zitten op sociale media zonder afspraken over "
            "wie wat mag zeggen. In dit lunchwebinar laten we zien hoe je in "
            "vijf stappen tot een werkbaar socialemediabeleid komt.\n"
            "\n"
            "[event start=\"2027-01-14 12:00\" end=\"2027-01-14 13:00\" "
            "timezone=\"Europe/Amsterdam\" status=\"public\" name=\"Webinar: "
            "een socialemediabeleid voor je organisatie\" location=\"Online\" "
            "url=\"https://ambtenaar20.example.org/"
            "webinar-socialemediabeleid\"]\n"
            "Een lunchwebinar van een uur over richtlijnen, rollen en "
            "webcare.\n"
            "[/event]\n"
            "\n"
            "We bespreken onder meer:\n"
            "\n"
            "1. Doelen en doelgroepen bepalen\n"
            "2. Rollen: woordvoering, webcare en medewerkers op persoonlijke "
            "titel\n"
            "3. Omgaan met kritiek en crisissituaties\n"
            "4. Archivering en de Wet open overheid\n"
            "5. Evalueren en bijsturen",
    },
    {
        .username = "demo",
        .created = "2026-11-21 09:10",
        .reply_to = 1,
        .likers = "sanne",
        .raw =
            "Goed initiatief! Kunnen we vooraf vragen insturen? Ik zou graag "
            "horen hoe andere gemeenten omgaan met berichten van collega's op "
            "persoonlijke titel.",
    },
    {
        .username = "sanne",
        .created = "2026-11-21 11:30",
        .reply_to = 2,
        .likers = "demo",
        .raw =
            "Zeker, @demo: zet je vragen gerust hier in dit onderwerp, dan "
            "nemen we ze mee in het webinar. Die van jou staat alvast op het "
            "lijstje.",
    },
    {0},
};

static const struct seed_post topic5_posts[] = {
    {
        .username = "koen",
        .created = "2026-11-12 08:30",
        .likers = "els demo sanne",
        .raw =
            "Tijdens de storm van vorige week liep onze webcare over: honderden"
            " vragen over omgevallen bomen en afgesloten straten, en "
            "ondertussen circuleerden er ook valse berichten. Welke tools en "
            "afspraken gebruiken jullie om sociale media te monitoren tijdens "
            "een crisis?",
    },
    {
        .username = "els",
        .created = "2026-11-12 10:05",
        .reply_to = 1,
        .likers = "koen",
        .raw =
            "Wij werken met een vaste rolverdeling: één persoon monitort, één "
            "persoon antwoordt en één persoon overlegt met het crisiscentrum. "
            "Zonder die afspraak antwoordt iedereen op alles en spreek je "
            "jezelf tegen.",
    },
    {
        .username = "demo",
        .created = "2026-11-12 13:45",
        .reply_to = 1,
        .likers = "koen pieterjan els",
        .raw =
            "Bij ons helpt een kort draaischema met vooraf goedgekeurde "
            "standaardantwoorden. Zo kan de webcare snel reageren zonder voor "
            "elk bericht op akkoord van de woordvoerder te wachten. Valse "
            "berichten weerleggen we op het kanaal waar ze ontstaan, met een "
            "link naar de officiële informatie op onze website.",
    },
    {
        .username = "pieterjan",
        .created = "2026-11-12 16:20",
        .reply_to = 3,
        .likers = "demo koen",
        .raw =
            "[quote=\"demo, post:3, topic:5\"]\n"
            "Valse berichten weerleggen we op het kanaal waar ze ontstaan, met "
            "een link naar de officiële informatie op onze website.\n"
            "[/quote]\n"
            "\n"
            "Dat is een goede tip. In Gent zetten we de officiële informatie "
            "bovendien bovenaan de website, zodat iedereen naar één bron kan "
            "verwijzen.",
    },
    {
        .username = "koen",
        .created = "2026-11-13 09:00",
        .reply_to = 4,
        .raw =
            "Bedankt allemaal, dit neem ik mee naar ons evaluatiegesprek. "
            "Vooral de rolverdeling van @els en de standaardantwoorden spreken "
            "me aan.",
    },
    {0},
};

static const struct seed_post topic6_posts[] = {
    {
        .username = "fatima",
        .created = "2026-11-03 15:20",
        .likers = "maarten marieke",
        .raw =
            "We willen in Rotterdam meer datasets openbaar maken, maar de vraag"
            " is waar je begint. Welke datasets hebben jullie als eerste "
            "gepubliceerd, en waarom juist die?",
    },
    {
        .username = "marieke",
        .created = "2026-11-03 17:40",
        .reply_to = 1,
        .likers = "fatima",
        .raw = "Bij ons waren dat de waterstanden en de gemalen. Die gegevens "
               "hadden we al, en er was duidelijk vraag naar vanuit boeren en "
               "watersporters.",
    },
    {
        .username = "wouter",
        .created = "2026-11-04 09:15",
        .reply_to = 1,
        .likers = "fatima maarten",
        .raw = "In Vlaanderen zijn de adressen en de gebouwen uit het "
               "adressenregister een mooi voorbeeld: basisgegevens waarop veel "
               "andere toepassingen verder bouwen. Begin met data die vaak "
               "opgevraagd wordt, dan is de meerwaarde meteen zichtbaar.",
    },
    {
        .username = "maarten",
        .created = "2026-11-04 11:30",
        .reply_to = 3,
        .likers = "wouter fatima",
        .raw =
            "[quote=\"wouter, post:3, topic:6\"]\n"
            "Begin met data die vaak opgevraagd wordt, dan is de meerwaarde "
            "meteen zichtbaar.\n"
            "[/quote]\n"
            "\n"
            "Precies. Kijk in je Woo-verzoeken en in de vragen aan het "
            "klantcontactcentrum: wat mensen nu per mail opvragen, kun je beter"
            " gewoon publiceren.",
    },
    {0},
};

static const struct seed_post topic7_posts[] = {
    {
        .username = "annelies",
        .created = "2026-01-15 09:00",
        .likers = "pieterjan els demo",
        .raw =
            "Welkom op het forum van Ambtenaar 2.0! Hier ontmoeten ambtenaren "
            "uit Nederland en Vlaanderen elkaar om ervaringen te delen over "
            "sociale media, open data en een open overheid.\n"
            "\n"
            "Stel je gerust even voor: waar werk je, waar ben je mee bezig en "
            "waarover wil je graag van gedachten wisselen?",
    },
    {
        .username = "pieterjan",
        .created = "2026-01-15 11:20",
        .reply_to = 1,
        .likers = "annelies",
        .raw =
            "Hallo allemaal! Ik ben Pieter-Jan, webredacteur bij de stad Gent. "
            "Ik ben vooral geïnteresseerd in heldere taal op overheidswebsites "
            "en in hoe we sociale media daarop laten aansluiten.",
    },
    {
        .username = "els",
        .created = "2026-01-16 08:50",
        .reply_to = 1,
        .likers = "annelies pieterjan",
        .raw =
            "Dag iedereen, ik ben Els, communicatieadviseur bij de provincie "
            "Vlaams-Brabant. Ik blog af en toe over studiedagen en congressen; "
            "ik deel mijn verslagen voortaan ook hier.",
    },
    {
        .username = "demo",
        .created = "2026-01-20 12:00",
        .reply_to = 1,
        .likers = "annelies",
        .raw =
            "Hoi! Ik werk als beleidsmedewerker digitale dienstverlening bij de"
            " gemeente Den Haag. Ik ben benieuwd hoe andere gemeenten sociale "
            "media inzetten voor dienstverlening, niet alleen voor "
            "communicatie.",
    },
    {
        .username = "fatima",
        .created = "2026-02-12 09:30",
        .reply_to = 1,
        .likers = "annelies demo",
        .raw =
            "Goedemorgen! Fatima hier, data-analist bij de gemeente Rotterdam. "
            "Ik hoop hier vooral te leren hoe anderen open data organiseren.",
    },
    {
        .username = "marieke",
        .created = "2026-04-23 14:10",
        .reply_to = 1,
        .raw =
            "Hallo, ik ben Marieke, informatiebeheerder bij een waterschap. "
            "Archivering van sociale media is bij ons een actueel thema; tips "
            "zijn welkom!",
    },
    {
        .username = "koen",
        .created = "2026-03-03 10:45",
        .reply_to = 1,
        .likers = "annelies",
        .raw = "Dag allemaal, Koen, woordvoerder van de stad Antwerpen. "
               "Crisiscommunicatie is mijn stokpaardje.",
    },
    {0},
};

static const struct seed_post topic8_posts[] = {
    {
        .username = "pieterjan",
        .created = "2026-11-18 20:15",
        .likers = "sanne wouter",
        .raw =
            "Een collega kreeg onlangs een opmerking omdat hij op LinkedIn "
            "enthousiast schreef over een project van onze dienst. Waar ligt "
            "voor jullie de grens tussen posten op persoonlijke titel en "
            "spreken namens de organisatie?",
    },
    {
        .username = "sanne",
        .created = "2026-11-19 08:40",
        .reply_to = 1,
        .likers = "pieterjan demo",
        .raw =
            "Bij ons geldt: je mag vertellen over je werk, zolang je duidelijk "
            "maakt dat je op persoonlijke titel spreekt en geen vertrouwelijke "
            "informatie deelt. Kritiek op beleid in voorbereiding is een ander "
            "verhaal: daar speelt de loyaliteitsplicht.",
    },
    {
        .username = "wouter",
        .created = "2026-11-19 10:05",
        .reply_to = 1,
        .likers = "pieterjan",
        .raw =
            "In Vlaanderen staat dat ook in de deontologische code voor "
            "personeelsleden van de Vlaamse overheid. Enthousiast delen wat je "
            "dienst doet, wordt eigenlijk aangemoedigd: het zijn vaak de beste "
            "ambassadeurs.",
    },
    {
        .username = "annelies",
        .created = "2026-11-19 13:30",
        .reply_to = 3,
        .likers = "wouter sanne",
        .raw =
            "Mooi onderwerp voor het webinar van @sanne in januari, lijkt me. "
            "Zullen we het daar meenemen?",
    },
    {0},
};

static const struct seed_post topic9_posts[] = {
    {
        .username = "annelies",
        .created = "2026-01-10 09:00",
        .likers = "wouter",
        .raw =
            "Een paar afspraken, zodat het hier voor iedereen prettig blijft:\n"
            "\n"
            "1. **Wees respectvol.** We verschillen soms van mening; dat mag, "
            "zolang je de bal speelt en niet de persoon.\n"
            "2. **Deel geen vertrouwelijke informatie.** Wat hier staat, is "
            "openbaar (behalve in de besloten categorieën).\n"
            "3. **Spreek op persoonlijke titel**, tenzij je uitdrukkelijk "
            "namens je organisatie spreekt.\n"
            "4. **Geen reclame** voor commerciële producten of diensten.\n"
            "\n"
            "Zie je een bericht dat hier niet thuishoort? Meld het aan de "
            "moderatoren.",
    },
    {0},
};

static const struct seed_post topic10_posts[] = {
    {
        .username = "wouter",
        .created = "2026-11-27 16:00",
        .likers = "annelies",
        .raw =
            "Nu de studiedag in Grimbergen achter de rug is, kunnen we het "
            "draaiboek voor 2027 opstellen. Voorstel: een editie in Nederland, "
            "in het najaar, met opnieuw workshops in de namiddag. Wie neemt de "
            "locatie op zich en wie de sprekers?",
    },
    {
        .username = "annelies",
        .created = "2026-11-28 09:20",
        .reply_to = 1,
        .likers = "wouter demo",
        .raw =
            "Ik vraag offertes op voor twee locaties in Utrecht. Het budget uit"
            " de evaluatie van dit jaar leg ik volgende week voor. @maarten, "
            "wil jij een open-dataworkshop voorbereiden?",
    },
    {
        .username = "demo",
        .created = "2026-11-28 11:00",
        .reply_to = 2,
        .likers = "annelies",
        .raw =
            "Ik help graag met de sprekers. Ik denk aan iemand van een gemeente"
            " die een goed socialemediabeleid heeft en aan een spreker over de "
            "Wet open overheid.",
    },
    {0},
};

const struct seed_topic seed_topics[] = {
    {
        .title = "Ambtenaar 2.0: bent u al mee in de genetwerkte samenleving?",
        .category = "sociale-media",
        .tags = "studiedag,grimbergen,sociale-media",
        .views = 412,
        .posts = topic1_posts,
    },
    {
        .title = "Studiedag Ambtenaar 2.0 in Grimbergen op 25 november",
        .category = "evenementen",
        .tags = "studiedag,grimbergen",
        .views = 655,
        .posts = topic2_posts,
    },
    {
        .title =
            "Open-datameetup in Utrecht op 10 december: gemeentelijke datasets "
            "ontsluiten",
        .category = "open-data",
        .tags = "open-data,meetup",
        .views = 188,
        .posts = topic3_posts,
    },
    {
        .title =
            "Webinar op 14 januari: een socialemediabeleid voor je organisatie",
        .category = "evenementen",
        .tags = "webinar,sociale-media",
        .views = 97,
        .posts = topic4_posts,
    },
    {
        .title = "Hoe monitoren jullie sociale media tijdens een crisis?",
        .category = "sociale-media",
        .tags = "crisiscommunicatie,sociale-media",
        .views = 236,
        .posts = topic5_posts,
    },
    {
        .title = "Welke datasets hebben jullie als eerste gepubliceerd?",
        .category = "open-data",
        .tags = "open-data",
        .views = 154,
        .posts = topic6_posts,
    },
    {
        .title = "Welkom! Stel je hier even voor",
        .category = "over-ambtenaar-2-0",
        .views = 530,
        .pinned = true,
        .posts = topic7_posts,
    },
    {
        .title =
            "Mag ik als ambtenaar op persoonlijke titel posten over mijn werk?",
        .category = "sociale-media",
        .tags = "integriteit,sociale-media",
        .views = 301,
        .posts = topic8_posts,
    },
    {
        .title = "Spelregels van dit forum",
        .category = "over-ambtenaar-2-0",
        .views = 288,
        .pinned = true,
        .posts = topic9_posts,
    },
    {
        .title = "Draaiboek studiedag 2027: locatie en sprekers",
        .category = "kernteam",
        .views = 34,
        .posts = topic10_posts,
    },
    {0},
};

const struct seed_reading seed_demo_reading[] = {
    {1, 4, 3, false},  {2, 6, 3, true},
    {3, 2, 2, false},  {4, 2, 3, false},
    {5, 3, 2, false},  {7, 7, 1, false},
    {8, 1, 1, false},  {9, 1, 1, false},
    {10, 3, 3, false}, {0},
};

const struct seed_post_ref seed_demo_post_bookmarks[] = {
    {3, 1},
    {5, 2},
    {0},
};

const struct seed_notification seed_demo_notifications[] = {
    {2, 2, 4, "annelies", true, "2026-10-05 15:05"},
    {12, 0, 0, "Studiedag 2026", true, "2026-11-25 17:30"},
    {2, 1, 5, "maarten", false, "2026-11-27 08:50"},
    {1, 1, 6, "sanne", false, "2026-11-27 10:20"},
    {3, 5, 4, "pieterjan", true, "2026-11-12 16:20"},
    {5, 5, 3, "koen", false, "2026-11-12 14:30"},
    {2, 4, 3, "sanne", false, "2026-11-21 11:30"},
    {0},
};

const struct seed_invitee seed_invitees[] = {
    {2, "wouter", "going"},
    {2, "els", "going"},
    {2, "demo", "going"},
    {2, "koen", "going"},
    {2, "pieterjan", "going"},
    {2, "annelies", "going"},
    {3, "fatima", "going"},
    {3, "marieke", "interested"},
    {3, "demo", "interested"},
    {3, "wouter", "not_going"},
    {4, "els", "going"},
    {4, "demo", "going"},
    {4, "pieterjan", "interested"},
    {0},
};
