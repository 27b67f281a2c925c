// A ~150 MB get_all_records and a ~100 MB event batch over XML-RPC (see large-answer-suite.ts):
// read by the transport's SAX reader in the parse worker.
import { largeAnswerSuite } from './large-answer-suite';

largeAnswerSuite({ transport: 'xmlrpc', vms: 1_500, renamed: 1_000 });
