#include "fixtures.h"

#include <cstdlib>

namespace cp::test {

namespace {

model::CertificateElement text_el(double x, double y, double w, double h, std::string text, double size,
                                  double min_size = 0, std::string font = "regular",
                                  model::Align align = model::Align::Center, model::Color color = {}) {
  model::CertificateElement e;
  e.kind = model::ElementKind::Text;
  e.x = mm(x);
  e.y = mm(y);
  e.width = mm(w);
  e.height = mm(h);
  e.text = std::move(text);
  e.size = size;
  e.min_size = min_size > 0 ? min_size : size;
  e.font = std::move(font);
  e.align = align;
  e.color = color;
  return e;
}

model::CertificateElement box_el(model::ElementKind kind, double x, double y, double w, double h, double size = 12) {
  model::CertificateElement e;
  e.kind = kind;
  e.x = mm(x);
  e.y = mm(y);
  e.width = mm(w);
  e.height = mm(h);
  e.size = size;
  e.min_size = size;
  return e;
}

}  // namespace

model::Participant person(const std::string& name, const std::string& title, const std::string& unit,
                          std::optional<bool> attended) {
  model::Participant p;
  p.name = name;
  p.title = title;
  p.unit = unit;
  std::string mail;
  for (char c : name) mail += (c == ' ') ? '.' : c;
  p.email = mail + "@eksjo.se";
  p.attended = attended;
  p.loc = {"materials/participants/test.csv", 2, 1};
  return p;
}

model::Programme sample_programme() {
  model::Programme p;
  p.root = COURSEPACK_SOURCE_DIR;
  auto& pr = p.project;
  pr.title = "Kunskapshöjning om sexuell exploatering, prostitution och människohandel";
  pr.organisation = "Region Jönköpings län, Kommunal utveckling";
  pr.partners = {"Länsstyrelsen i Jönköpings län", "Regionkoordinatorerna mot prostitution och människohandel, Region Öst"};
  pr.coordinator = {"Annika Hedlund", "FoU-ledare", "annika.hedlund@rjl.se", "070-174 06 19"};
  pr.signatories = {{"Annika Hedlund", "FoU-ledare, Kommunal utveckling, Region Jönköpings län", ""},
                    {"Karin Ljungqvist", "Utvecklingsledare, Länsstyrelsen i Jönköpings län", ""}};
  pr.verify_url = "https://kommunalutveckling.se/intyg/{code}";
  pr.privacy_notice =
      "Region Jönköpings län är personuppgiftsansvarig för uppgifterna på den här listan. Uppgifterna (namn, "
      "befattning, enhet och e-post) används för att registrera närvaro, utfärda kursintyg och följa upp "
      "utbildningen; den rättsliga grunden är uppgift av allmänt intresse. Listan kan bli allmän handling och "
      "gallras enligt regionens dokumenthanteringsplan, senast två år efter utbildningen. Du har rätt att begära "
      "tillgång till och rättelse av dina uppgifter och att lämna klagomål till Integritetsskyddsmyndigheten (IMY).";
  pr.loc = {"materials/project.yaml", 1, 1};

  model::Course c;
  c.id = "grundutbildning";
  c.title = "Grundutbildning om sexuell exploatering, prostitution och människohandel";
  c.subtitle = "För socialtjänstens handläggare";
  c.hours = 3.5;
  c.learning_goals = {
      "känna till begreppen sexuell exploatering, prostitution och människohandel",
      "känna till lagstiftningen: sexköpsbrottet, koppleri och människohandel",
      "kunna uppmärksamma tecken på att en person utnyttjas och bemöta den utsatta",
      "känna till socialtjänstens ansvar och stödet från regionkoordinatorerna",
      "veta vem man samverkar med i länet och var man får stöd i ett ärende",
  };
  c.loc = {"materials/courses/grundutbildning.yaml", 1, 1};
  p.courses[c.id] = c;

  model::Municipality m;
  m.slug = "eksjo";
  m.name = "Eksjö kommun";
  m.code = "0686";
  m.contacts = {{"Åsa Engström", "Enhetschef, individ- och familjeomsorgen", "asa.engstrom@eksjo.se", "070-174 06 98"},
                {"Marcus Dahlberg", "Samordnare våld i nära relationer", "marcus.dahlberg@eksjo.se", "070-174 06 80"}};
  m.file = "materials/municipalities/eksjo.yaml";
  model::Visit v;
  v.date = {2023, 3, 14};
  v.start = model::Time{9, 0};
  v.end = model::Time{12, 30};
  v.venue = "Stadshuset, sammanträdesrum Ljuset";
  v.address = "Stadshusgatan 1, 575 80 Eksjö";
  v.course = "grundutbildning";
  v.trainers = {"Annika Hedlund", "Lina Thorsén"};
  v.seats = 0;
  m.visits.push_back(v);
  p.municipalities.push_back(m);

  // layouts/certificate.yaml
  auto& cert = p.layouts.certificate;
  cert.page = {mm(297), mm(210), {mm(15), mm(15), mm(15), mm(15)}};
  cert.font = {"Noto Sans", {}, {}, {}, {}};
  const model::Color accent{0, 0x52 / 255.0, 0x8c / 255.0};
  cert.elements = {
      text_el(20, 20, 257, 14, "KURSINTYG", 30, 0, "bold", model::Align::Center, accent),
      text_el(20, 40, 257, 8, "Härmed intygas att", 13),
      text_el(20, 50, 257, 24, "{{participant.name}}", 28, 16, "bold"),
      text_el(20, 76, 257, 10, "har deltagit i {{course.title}}", 14, 11),
      text_el(20, 87, 257, 8, "{{course.hours}} timmar, {{visit.date}}, {{visit.town}}", 12),
  };
  auto line = box_el(model::ElementKind::Line, 40, 99, 217, 0);
  line.line_width = 0.75;
  line.color = accent;
  cert.elements.push_back(line);
  cert.elements.push_back(text_el(40, 103, 217, 7, "Utbildningen behandlade:", 11, 0, "bold", model::Align::Left));
  cert.elements.push_back(box_el(model::ElementKind::Goals, 40, 111, 217, 38, 10));
  cert.elements.push_back(box_el(model::ElementKind::Signatures, 30, 154, 170, 30, 9));
  cert.elements.push_back(box_el(model::ElementKind::Qr, 258, 152, 24, 0));
  cert.elements.push_back(
      text_el(212, 178, 70, 5, "Verifieringskod: {{participant.code}}", 8, 0, "regular", model::Align::Right));
  cert.elements.push_back(text_el(20, 187, 257, 7,
                                  "{{project.organisation}} i samverkan med Länsstyrelsen i Jönköpings län och "
                                  "regionkoordinatorerna mot prostitution och människohandel, Region Öst",
                                  8, 0, "regular", model::Align::Center, model::Color{0.25, 0.25, 0.25}));

  auto& att = p.layouts.attendance;
  att.page.margins = {mm(18), mm(18), mm(18), mm(18)};
  att.size = 10;
  att.row_height = mm(10);
  att.walk_in_rows = 5;

  auto& brief = p.layouts.brief;
  brief.page.margins = {mm(20), mm(20), mm(20), mm(20)};
  brief.size = 10;
  brief.spare_share = 0.1;
  brief.checklist = {
      "Skriv ut handouts och närvarolistor",
      "Ta med kursintygen (utskrivna och sorterade i bokstavsordning)",
      "Kontrollera lokal och teknik (projektor, ljud, nätverk) i god tid före start",
      "Ta med utvärderingsformulären och dela ut dem före sista passet",
      "Samla in närvarolistan efter passet och lämna den till samordnaren",
      "Förvara närvarolistan inlåst tills den lämnats över; den innehåller personuppgifter",
  };
  return p;
}

model::Visit& sample_visit(model::Programme& p) { return p.municipalities.front().visits.front(); }
model::Municipality& sample_municipality(model::Programme& p) { return p.municipalities.front(); }
const model::Course& sample_course(const model::Programme& p) { return p.courses.at("grundutbildning"); }

}  // namespace cp::test
