// pg_dump's output as PostgreSQL models: the compared schema's qualifiers
// made the scratch schema's, session set-up, owners and privileges blanked.
#include <catch2/catch.hpp>

#include "backend/postgres/postgres.h"

using namespace retort;

TEST_CASE("PostgreSQL models: pg_dump's qualifiers name the scratch schema") {
  const std::string dump =
      "SET statement_timeout = 0;\n"
      "SELECT pg_catalog.set_config('search_path', '', false);\n"
      "\\restrict k3y\n"
      "CREATE TABLE public.t (id integer NOT NULL, n public.mood, note text DEFAULT 'public.x');\n"
      "ALTER TABLE public.t OWNER TO app;\n"
      "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
      "nextval('public.t_id_seq'::regclass);\n"
      "CREATE VIEW public.v AS SELECT t.id FROM public.t WHERE t.n <> 'a'::public.mood;\n"
      "GRANT SELECT ON TABLE public.t TO reader;\n"
      "CREATE TABLE other.t2 (id integer);\n"
      "\\unrestrict k3y\n";
  const std::string out = postgres_models_for_scratch(dump, "public", "scratch");
  // A skipped line keeps its length, in spaces, so errors keep their columns.
  auto blank = [](const std::string& line) { return std::string(line.size(), ' ') + "\n"; };
  CHECK(out == blank("SET statement_timeout = 0;") +
                   blank("SELECT pg_catalog.set_config('search_path', '', false);") +
                   blank("\\restrict k3y") +
                   "CREATE TABLE \"scratch\".t (id integer NOT NULL, n \"scratch\".mood, note "
                   "text DEFAULT 'public.x');\n" +
                   blank("ALTER TABLE public.t OWNER TO app;") +
                   "ALTER TABLE ONLY \"scratch\".t ALTER COLUMN id SET DEFAULT "
                   "nextval('\"scratch\".t_id_seq'::regclass);\n"
                   "CREATE VIEW \"scratch\".v AS SELECT t.id FROM \"scratch\".t WHERE t.n <> "
                   "'a'::\"scratch\".mood;\n" +
                   blank("GRANT SELECT ON TABLE public.t TO reader;") +
                   "CREATE TABLE other.t2 (id integer);\n" + blank("\\unrestrict k3y"));
  // Without a current schema nothing is requalified.
  CHECK(postgres_models_for_scratch("CREATE TABLE public.t (id integer);\n", "", "scratch") ==
        "CREATE TABLE public.t (id integer);\n");
}
