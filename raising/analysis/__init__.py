"""From loop nests to synthesis problems: regions, references and symbolic traces
(`decompose`), what each nest computes (`guidance`), statement-by-statement stages
(`stages`) and nests raised inside a kept sequential loop (`nested`)."""
