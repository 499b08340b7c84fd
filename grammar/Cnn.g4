// The cnnscript grammar. The parser facade (io.cnnscript.parse.Parser) runs the lexer's
// tokens through NewlineFilter, which drops NL tokens inside brackets and before a line that
// continues the previous one, so the rules below see NL only where a statement may end.
grammar Cnn;

@lexer::members {
    /** After 'layer': blanks, a name, blanks and '(' (the start of a layer definition). */
    private boolean layerDefinitionFollows() {
        int i = 1;
        while (_input.LA(i) == ' ' || _input.LA(i) == '\t') {
            i++;
        }
        if (i == 1 || !(Character.isLetter(_input.LA(i)) || _input.LA(i) == '_') || _input.LA(i) > 127) {
            return false;
        }
        while (_input.LA(i) < 128 && (Character.isLetterOrDigit(_input.LA(i)) || _input.LA(i) == '_')) {
            i++;
        }
        while (_input.LA(i) == ' ' || _input.LA(i) == '\t') {
            i++;
        }
        return _input.LA(i) == '(';
    }
}

program
    : sep* (statement (sep+ statement)*)? sep* EOF
    ;

sep : NL | ';' ;

block
    : '{' sep* (statement (sep+ statement)*)? sep* '}'
    ;

statement
    : 'fn' NAME '(' params? ')' block                                   # fnDef
    | LAYER NAME '(' params? ')' layerBody                               # layerDef
    | ifStmt                                                              # if
    | 'for' names 'in' expr block                                        # for
    | 'while' expr block                                                 # while
    | 'return' expr?                                                     # return
    | 'break'                                                            # break
    | 'continue'                                                         # continue
    | targets+=expr (',' targets+=expr)* ','? '=' exprList               # assign
    | target=expr op=('+=' | '-=' | '*=' | '/=' | '//=') value=expr      # augAssign
    | exprList                                                           # exprStmt
    ;

ifStmt
    : 'if' expr block ('else' (ifStmt | block))?
    ;

// A layer body holds statements that make its parameters, and method definitions such as
// forward(x) { ... }; "fn" before a method name is optional.
layerBody
    : '{' sep* (layerItem (sep+ layerItem)*)? sep* '}'
    ;

layerItem
    : 'fn'? NAME '(' params? ')' block                                   # layerMethod
    | statement                                                          # layerStatement
    ;

names : loopName (',' loopName)* ;

// A for loop's name, or a group of them that takes a tuple apart: for i, (X, y) in enumerate(data).
loopName : NAME | '(' names ','? ')' ;

params : param (',' param)* ','? ;

param : NAME ('=' expr)? ;

exprList : expr (',' expr)* trailing=','? ;

expr
    : atom                                                               # atomExpr
    | expr '.' NAME                                                      # attribute
    | expr '(' args? ')'                                                 # call
    | expr '[' subscript (',' subscript)* ','? ']'                       # index
    | <assoc=right> expr op='**' expr                                    # binary
    | op='-' expr                                                        # negate
    | expr op=('*' | '/' | '//' | '%' | '@') expr                        # binary
    | expr op=('+' | '-') expr                                           # binary
    | expr op='>>' expr                                                  # binary
    | expr (op='is' isNot='not' | op=('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'is') | notIn='not' op='in') expr  # binary
    | 'not' expr                                                         # not
    | expr op='and' expr                                                 # logical
    | expr op='or' expr                                                  # logical
    | <assoc=right> expr 'if' expr 'else' expr                           # conditional
    ;

atom
    : INT                                                                # int
    | FLOAT                                                              # float
    | STRING                                                             # string
    | 'true'                                                             # true
    | 'false'                                                            # false
    | 'none'                                                             # none
    | NAME                                                               # name
    | 'tensor' '[' (expr (',' expr)* ','?)? ']'                          # tensorLiteral
    | 'tensor' '(' args? ')'                                             # tensorCall
    | '(' ')'                                                            # emptyTuple
    | '(' expr ')'                                                       # paren
    | '(' expr ',' (expr (',' expr)* ','?)? ')'                          # tuple
    | '[' expr 'for' names 'in' expr ('if' expr)? ']'                    # comprehension
    | '[' (expr (',' expr)* ','?)? ']'                                   # list
    ;

subscript
    : lo=expr? ':' hi=expr? (':' step=expr?)?                            # slice
    | '...'                                                              # ellipsis
    | expr                                                               # single
    ;

args : arg (',' arg)* ','? ;

arg
    : NAME '=' expr                                                      # keywordArg
    | '*' expr                                                           # starArg
    | expr                                                               # positionalArg
    ;

INT    : [0-9]+ ;
FLOAT  : [0-9]+ '.' [0-9]* EXPONENT?
       | '.' [0-9]+ EXPONENT?
       | [0-9]+ EXPONENT
       ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

STRING : '"' (~["\\\r\n] | '\\' .)* '"'
       | '\'' (~['\\\r\n] | '\\' .)* '\''
       ;

// 'layer' is a keyword only before a layer's name and '(' (layer Net(...) { }); anywhere else it
// is a NAME, so a variable may be called layer (for layer in net.children() { ... }).
LAYER  : 'layer' {layerDefinitionFollows()}? ;

NAME   : [a-zA-Z_] [a-zA-Z_0-9]* ;

NL           : '\r'? '\n' ;
COMMENT      : '#' ~[\r\n]* -> skip ;
CONTINUATION : '\\' '\r'? '\n' -> skip ;
WS           : [ \t\f]+ -> skip ;

// Anything else is one bad character: the parser reports it with its location.
BAD_CHAR : . ;
