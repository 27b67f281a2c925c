// A ~300 MB get_all_records and a ~200 MB event batch over JSON-RPC (see large-answer-suite.ts).
import { largeAnswerSuite } from './large-answer-suite';

largeAnswerSuite({ transport: 'jsonrpc', vms: 3_000, renamed: 2_000 });
